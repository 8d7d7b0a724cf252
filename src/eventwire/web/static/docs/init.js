// eventwire's API docs page (/docs): Swagger UI over /openapi.json, from the shipped assets only.
// No validator badge (it would call an outside service) and no "try it out" calls to other hosts.
(function () {
  "use strict";
  window.addEventListener("DOMContentLoaded", function () {
    window.ui = window.SwaggerUIBundle({
      url: "/openapi.json",
      dom_id: "#swagger-ui",
      validatorUrl: null,
      deepLinking: true,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
    });
  });
})();

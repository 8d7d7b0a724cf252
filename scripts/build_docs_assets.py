"""Copy Swagger UI's assets into src/eventwire/web/static/docs/, for the API docs page at /docs.

Source: the npm package `swagger-ui-dist` (pinned below, Apache-2.0), fetched with the ordinary npm
client (`npm pack`) unless `--package` names its tarball. Copies `swagger-ui-bundle.js` and
`swagger-ui.css` (without their source-map comments, whose maps are not shipped) and the package's
LICENSE and NOTICE as .txt files. The page's own start-up script, `docs/init.js`, is eventwire's and
is left as it is. Nothing is fetched at run time: the page loads only these files and /openapi.json.

Run: .venv/bin/python scripts/build_docs_assets.py [--package swagger-ui-dist-X.tgz] [--out DIR]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "src" / "eventwire" / "web" / "static" / "docs"
PACKAGE = "swagger-ui-dist@5.32.0"
#: Package file → shipped file name.
FILES = {
    "swagger-ui-bundle.js": "swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui.css",
    "LICENSE": "LICENSE.txt",
    "NOTICE": "NOTICE.txt",
}
SOURCE_MAP = re.compile(rb"\n?/[/*]# sourceMappingURL=[^\n]*\n?$")


def fetch_package(workdir: Path) -> Path:
    """The swagger-ui-dist tarball, fetched by `npm pack` into `workdir`."""
    result = subprocess.run(
        ["npm", "pack", PACKAGE, "--pack-destination", str(workdir)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"build_docs_assets: npm pack {PACKAGE} failed: {result.stderr.strip().splitlines()[-1:]}")
    return next(workdir.glob("swagger-ui-dist-*.tgz"))


def copy_assets(tarball: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as archive:
        for name, target in FILES.items():
            member = archive.extractfile(f"package/{name}")
            if member is None:
                sys.exit(f"build_docs_assets: {tarball.name} has no package/{name}")
            data = SOURCE_MAP.sub(b"\n", member.read().rstrip(b"\n")).rstrip(b"\n") + b"\n"
            (out / target).write_bytes(data)
            print(f"{out / target}: {len(data) / 1024:.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="a local swagger-ui-dist tarball (default: npm pack)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    if args.package:
        if not args.package.is_file():
            sys.exit(f"build_docs_assets: {args.package}: no such file")
        copy_assets(args.package, args.out)
        return
    with tempfile.TemporaryDirectory() as workdir:
        copy_assets(fetch_package(Path(workdir)), args.out)


if __name__ == "__main__":
    main()

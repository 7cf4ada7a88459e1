#!/usr/bin/env python3
"""Print the Turtle for an excerpt: tools/locate.py SOURCE_FILE 'exact text' [occurrence]

A data-entry helper: finds the quote verbatim in sources/SOURCE_FILE and
prints an excerpt node with its offsets. Fails if the quote is not there.
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from kg.pipeline.sources import QuoteNotFound, locate  # noqa: E402


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    occurrence = int(argv[3]) if len(argv) > 3 else 1
    try:
        loc = locate(argv[1], argv[2], occurrence)
    except QuoteNotFound as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    slug = loc.excerpt_iri.rsplit("/", 1)[1]
    print(f"ex:{slug} a pe:Excerpt ;\n    pe:inSource src:{loc.source_iri.rsplit('/', 1)[1]} ;\n"
          f"    pe:start {loc.start} ; pe:end {loc.end} ;\n    pe:exact {json.dumps(loc.exact, ensure_ascii=False)} .")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""`python -m bench bench|loadtest|faulttest|imports|prodcheck|prodstack` (the Makefile targets bench,
loadtest, faulttest, bench-imports, prodcheck, prodstack)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "bench":
        from .bench import main as run
    elif command == "loadtest":
        from .load import loadtest as run
    elif command == "faulttest":
        from .load import faulttest as run
    elif command == "prodcheck":
        from .prodcheck import main as run
    elif command == "prodstack":
        from .prodcheck import prodstack as run
    elif command == "imports":
        from .imports import main

        return main(argv)
    else:
        print("usage: python -m bench bench|loadtest|faulttest|imports|prodcheck|prodstack", file=sys.stderr)
        return 2
    return run()


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""The README's first command: serve the offline bundle and print where.

Usage: ``python build/demo.py [--port 8000]``; Ctrl-C stops it.
"""

from __future__ import annotations

import argparse

import build_bundle
from serve import StaticServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    site = build_bundle.build()
    server = StaticServer([site], port=args.port)
    print(f"Demo: {server.url}/  (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nstopped")
    finally:
        server.server_close()


if __name__ == "__main__":
    main()

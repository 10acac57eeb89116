"""``clerk-emulator`` / ``python -m clerk_emulator``: start the local Clerk instance."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import socket
import sqlite3
import sys
from pathlib import Path

from aiohttp import web

from . import model
from .context import Config
from .server import Emulator, parse_fault_specs
from .settings import SettingsError
from .store import DataFolderBusy, Store

DEMO_EMAIL = "demo+clerk_test@example.com"
DEMO_PASSWORD = "demo-password-424242"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="clerk-emulator", description="Local emulator of Clerk's FAPI and BAPI.")
    p.add_argument("--port", type=int, default=8790, help="TCP port (0 picks a free one); default 8790")
    p.add_argument("--host", default="127.0.0.1", help="bind address; default 127.0.0.1")
    p.add_argument("--data", type=Path, default=Path(".clerk-emulator"),
                   help="data folder (SQLite store and keys); default .clerk-emulator")
    p.add_argument("--reset", action="store_true", help="wipe the data folder's store and keys first")
    p.add_argument("--no-seed", action="store_true", help="do not create (or print) the demo user")
    p.add_argument("--static", type=Path, default=None,
                   help="serve this folder for paths outside /v1, /bapi, /.well-known")
    p.add_argument("--allowed-origin", action="append", default=[], metavar="ORIGIN",
                   help="allow credentialed CORS from ORIGIN (repeatable)")
    p.add_argument("--no-loopback-origins", action="store_true",
                   help="do not allow http://127.0.0.1:*, http://localhost:* and http://[::1]:* by default")
    p.add_argument("--error-code", choices=("form_param_deprecated", "form_param_unknown"),
                   default="form_param_deprecated",
                   help="error code for metadata fields removed in API version 2026-05-12")
    p.add_argument("--fault", action="append", default=[], metavar="JSON",
                   help='fault rule, e.g. \'{"path": "^/v1/me/metadata$", "latency_ms": 200}\' (repeatable)')
    p.add_argument("--rate-limits", action="store_true",
                   help="enforce Clerk's development rate limits (429 + Retry-After); off by default")
    p.add_argument("--fsync", action="store_true",
                   help="SQLite synchronous=FULL (power-loss safe); default NORMAL (process-crash safe)")
    p.add_argument("--settings", type=Path, default=None, metavar="FILE",
                   help="instance settings (JSON) merged onto the defaults: identifiers, factors, social "
                        "providers, enterprise SSO, sign-up mode (see emulator/README.md)")
    p.add_argument("--log-requests", action="store_true", help="log every request to stderr")
    return p.parse_args(argv)


def seed(store: Store, no_seed: bool) -> tuple[str, str] | None:
    if no_seed:
        return None
    with store.tx():
        demo_id = store.meta_get("demo_user_id")
        if demo_id and store.get("users", demo_id) is not None:
            return DEMO_EMAIL, store.meta_get("demo_password") or DEMO_PASSWORD
        if store.count_users() > 0:
            return None
        user = model.new_user(store, emails=[DEMO_EMAIL], password=DEMO_PASSWORD, first_name="Demo",
                              last_name="User", username="demo_user")
        store.meta_set("demo_user_id", user["id"])
        store.meta_set("demo_password", DEMO_PASSWORD)
        return DEMO_EMAIL, DEMO_PASSWORD


async def serve(args: argparse.Namespace) -> int:
    if args.static is not None and not args.static.is_dir():
        print(f"clerk-emulator: --static {args.static} is not a folder", file=sys.stderr)
        return 2
    try:
        rules = parse_fault_specs(args.fault)
    except ValueError as exc:
        print(f"clerk-emulator: bad --fault: {exc}", file=sys.stderr)
        return 2
    try:
        store = Store(args.data, reset=args.reset, fsync=args.fsync)
        demo = seed(store, args.no_seed)
    except DataFolderBusy as exc:
        print(f"clerk-emulator: {exc}; stop it first or use another --data folder", file=sys.stderr)
        return 2
    except (OSError, sqlite3.DatabaseError) as exc:
        print(f"clerk-emulator: cannot open the data folder {args.data}: {exc} "
              f"(use another --data folder, or --reset to start it afresh)", file=sys.stderr)
        return 2
    config = Config(
        host=args.host, port=args.port,
        static_dir=args.static.resolve() if args.static else None,
        allowed_origins=args.allowed_origin,
        allow_loopback_origins=not args.no_loopback_origins,
        removed_field_code=args.error_code,
        rate_limits=args.rate_limits,
        settings_file=args.settings,
    )
    try:
        emulator = Emulator(store, config)
    except SettingsError as exc:
        print(f"clerk-emulator: bad --settings: {exc}", file=sys.stderr)
        return 2
    emulator.faults.rules.extend(rules)
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(f"clerk-emulator: cannot bind {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    emulator.bound(sock.getsockname()[1])
    runner = web.AppRunner(emulator.make_app(), access_log=logging.getLogger("aiohttp.access")
                           if args.log_requests else None, handle_signals=False)
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    lines = [
        f"Frontend API: {emulator.fapi_url}",
        f"Backend API: {emulator.bapi_url}",
        f"Publishable key: {emulator.publishable_key}",
        f"Secret key: {store.secret_key}",
    ]
    if demo is not None:
        lines.append(f"Demo user: {demo[0]} / {demo[1]}")
    lines.append(f"Ready: {emulator.fapi_url}")
    for line in lines:
        print(line, flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    store.close()
    return 0


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.log_requests else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    sys.exit(asyncio.run(serve(args)))


if __name__ == "__main__":
    main()

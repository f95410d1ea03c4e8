"""``make``'s installer: ``uv pip install`` into a venv, with the index pip is configured for.

    python3 tools/pip_install.py VENV [pip install arguments...]

uv (from PyPI, kept in build/uv beside the checkout, not in the venv) downloads and unpacks in
parallel, several times faster than pip here. It reads no pip.conf, so the settings that pip
would use (``pip config list``: its files and PIP_* variables) are passed on as uv's flags:
index-url, extra-index-url, find-links, constraint, no-index, trusted-host, cert and timeout;
like pip, uv then takes the best version across all the indexes. Where uv cannot be fetched
(no pip beside this Python), the venv gets pip (ensurepip) and pip installs, as before, without
uv's ``--excludes FILE`` (packages left out of the resolution).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

UV_DIR = Path(__file__).resolve().parent.parent / "build" / "uv"
UV_REQUIREMENT = "uv>=0.5,<1"
LISTS = {"extra-index-url", "find-links", "constraint", "trusted-host"}  # whitespace-separated


def pip_config() -> dict[str, str]:
    """pip's effective settings: [global] < [install] < PIP_* variables, as pip applies them."""
    out = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True
    ).stdout
    found: dict[str, dict[str, str]] = {"global": {}, "install": {}, ":env:": {}}
    for line in out.splitlines():
        m = re.match(r"^(global|install|:env:)\.([\w-]+)=(.*)$", line.strip())
        if m:
            value = m.group(3)
            try:
                value = " ".join(shlex.split(value))  # pip prints values quoted
            except ValueError:
                value = value.strip("'\"")
            found[m.group(1)][m.group(2)] = value
    settings = {**found["global"], **found["install"], **found[":env:"]}
    if "timeout" in settings and "default-timeout" not in settings:
        settings["default-timeout"] = settings["timeout"]
    return settings


def uv_flags(settings: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """uv's flags and environment for pip's ``settings``."""
    flags: list[str] = []
    env: dict[str, str] = {}
    if settings.get("index-url"):
        flags += ["--index-url", settings["index-url"]]
    for key, flag in [
        ("extra-index-url", "--extra-index-url"),
        ("find-links", "--find-links"),
        ("constraint", "--constraint"),
        ("trusted-host", "--allow-insecure-host"),
    ]:
        for value in settings.get(key, "").split():
            flags += [flag, value]
    if settings.get("no-index", "").lower() in ("1", "true", "yes", "on"):
        flags.append("--no-index")
    if settings.get("extra-index-url") or settings.get("find-links"):
        flags += ["--index-strategy", "unsafe-best-match"]  # pip: the best version anywhere
    if settings.get("cert"):
        env["SSL_CERT_FILE"] = settings["cert"]
    if settings.get("default-timeout"):
        env["UV_HTTP_TIMEOUT"] = settings["default-timeout"].split(".")[0]
    return flags, env


def find_uv() -> Path | None:
    uv = UV_DIR / "bin" / "uv"
    if not uv.exists():
        if importlib.util.find_spec("pip") is None:
            return None
        fetch = [sys.executable, "-m", "pip", "install", "--quiet", "--no-compile"]
        fetch += ["--disable-pip-version-check", "--upgrade", "--target", str(UV_DIR)]
        env = {"PIP_ROOT_USER_ACTION": "ignore", **os.environ}  # root in a container: no notice
        if subprocess.run([*fetch, UV_REQUIREMENT], env=env).returncode != 0:
            return None
    return uv if uv.exists() else None


def main(argv: list[str]) -> int:
    venv, args = Path(argv[0]), argv[1:]
    python = venv / "bin" / "python"
    if os.environ.get("VERIFACT_INSTALLER") != "pip" and (uv := find_uv()):
        flags, env = uv_flags(pip_config())
        cmd = [str(uv), "pip", "install", "--quiet", "--python", str(python), *flags, *args]
        return subprocess.run(cmd, env={**env, **os.environ}).returncode
    print("installing with pip (no uv, or VERIFACT_INSTALLER=pip)", file=sys.stderr)
    while "--excludes" in args:  # uv only: pip installs every dependency
        i = args.index("--excludes")
        del args[i : i + 2]
    if subprocess.run([str(python), "-m", "pip", "--version"], capture_output=True).returncode:
        subprocess.run([str(python), "-m", "ensurepip", "--upgrade", "--default-pip"], check=True)
    cmd = [str(python), "-m", "pip", "install", "--quiet", "--no-compile", *args]
    return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

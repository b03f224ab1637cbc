# The Python environment of the peer scripts (sourced by mesa_epstein.sh and
# salib_check.sh): a venv with exactly the versions a requirements file pins.
# The sourcing script sets VENV (the venv's directory), PYTHON (the interpreter that
# creates it), REQ (the requirements file), PY_MIN (the oldest Python 3 minor version
# it accepts, for example 11 for 3.11), and defines log and die. setup_venv sets VPY,
# the venv's interpreter.

# Exits 0 when interpreter $1 has exactly the versions pinned in $REQ and is at least
# Python 3.$PY_MIN.
pins_ok() {
    "$1" - "$REQ" "$PY_MIN" <<'PY'
import importlib.metadata as md
import sys
bad = []
for line in open(sys.argv[1]):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, want = line.split("==")
    try:
        have = md.version(name)
    except md.PackageNotFoundError:
        have = None
    if have != want:
        bad.append(f"{name} {have or 'missing'} (want {want})")
minor = int(sys.argv[2])
if sys.version_info < (3, minor):
    bad.append(f"Python {sys.version.split()[0]} (want >= 3.{minor})")
if bad:
    print("venv: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
PY
}

# Reuses $VENV when it has the pinned versions, else creates it and installs them.
setup_venv() {
    VPY="$VENV/bin/python"
    if [[ -x $VPY ]] && pins_ok "$VPY" 2>/dev/null; then
        log "reusing the venv $VENV"
        return
    fi
    if [[ ! -x $VPY ]]; then
        command -v "$PYTHON" >/dev/null || die "$PYTHON not found (set PEER_PYTHON)"
        log "creating the venv $VENV with $PYTHON"
        "$PYTHON" -m venv "$VENV"
    fi
    log "installing the pinned packages into $VENV"
    "$VPY" -m pip install --quiet --disable-pip-version-check -r "$REQ"
    pins_ok "$VPY" || die "the venv does not have the pinned versions after installing"
}

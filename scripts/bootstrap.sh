# Shared by ./run, ./test and .ci/run: make .venv with Python >= 3.11, install the project, compile translations.
# Sourced, not executed. Needs only python3 (3.11+) and, on Debian without python3-venv, pip.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ANLIEGEN_VENV:-$ROOT/.venv}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

make_venv() {
    if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
        return 0
    fi
    local python
    if ! python="$(find_python)"; then
        echo "Anliegen needs Python 3.11 or newer as python3 (Debian: apt-get install python3)." >&2
        exit 1
    fi
    say "Creating $VENV with $python"
    rm -rf "$VENV"
    if ! "$python" -m venv "$VENV" >/dev/null 2>&1; then
        # Debian ships venv without ensurepip unless python3-venv is installed: make the environment
        # without pip and let the system's pip install pip into it.
        rm -rf "$VENV"
        "$python" -m venv --without-pip "$VENV"
        if ! "$python" -m pip --python "$VENV/bin/python" install --quiet pip; then
            echo "Could not put pip into $VENV. Install Debian's python3-venv package (apt-get install python3-venv)" >&2
            echo "or python3-pip, then run this again." >&2
            rm -rf "$VENV"
            exit 1
        fi
    fi
}

# install_project "" | install_project "[test]": reinstall only when pyproject.toml changed.
install_project() {
    local extras="${1:-}" stamp="$VENV/.anliegen-installed${1:+-test}"
    if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/pyproject.toml" ] && "$VENV/bin/python" -c 'import anliegen' 2>/dev/null; then
        return 0
    fi
    say "Installing Anliegen${extras} into $VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT$extras"
    touch "$stamp"
}

# The repository ships compiled catalogues; compile them only when a .mo is missing. (Not by age: a fresh
# clone writes files in name order, so every .po looks a moment newer than its .mo.)
compile_messages() {
    local locale="$ROOT/src/anliegen/locale" po stale=""
    [ -d "$locale" ] || return 0
    while IFS= read -r po; do
        if [ ! -f "${po%.po}.mo" ]; then
            stale=1
        fi
    done < <(find "$locale" -name '*.po')
    [ -n "$stale" ] || return 0
    if ! command -v msgfmt >/dev/null 2>&1; then
        echo "Note: translations are not compiled and msgfmt is missing (Debian package: gettext); the UI stays English." >&2
        return 0
    fi
    say "Compiling translations"
    (cd "$ROOT/src/anliegen" && "$VENV/bin/anliegen" compilemessages --verbosity 0)
}

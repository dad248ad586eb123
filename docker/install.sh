#!/bin/sh
# The image's install steps, in one place: the Dockerfile runs them, and so does
# tests/packaging/test_containers.py in a fresh virtual environment.
#
#   install.sh wheel SOURCE WHEELS   build whoswho's wheel (knowledge inside) from SOURCE into WHEELS
#   install.sh venv WHEELS VENV      a virtual environment in VENV with that wheel and every extra ([all]:
#                                    Slack, Discord, PostgreSQL, Redis)
set -eu
step=$1
case "$step" in
wheel)
    python -m pip install --no-cache-dir --disable-pip-version-check "hatchling>=1.25"
    python -m pip wheel --no-cache-dir --disable-pip-version-check --no-deps --no-build-isolation \
        --wheel-dir "$3" "$2"
    ;;
venv)
    [ -x "$3/bin/python" ] || python -m venv "$3"
    for wheel in "$2"/whoswho-*.whl; do
        "$3/bin/python" -m pip install --no-cache-dir --disable-pip-version-check "$wheel[all]"
    done
    ;;
*)
    echo "usage: install.sh wheel SOURCE WHEELS | install.sh venv WHEELS VENV" >&2
    exit 2
    ;;
esac

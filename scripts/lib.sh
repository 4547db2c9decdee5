# Shared by scripts/start and scripts/test: install what is missing, quietly.

ensure_debian_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  if ((${#missing[@]})); then
    echo "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# ensure_venv REQUIREMENTS_FILE... : a .venv with exactly these pins and the project itself.
ensure_venv() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  local stamp
  stamp=".venv/.installed-$(cat "$@" pyproject.toml | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "Installing Python packages from $*"
    local args=() file
    for file in "$@"; do args+=(-r "$file"); done
    .venv/bin/pip install -q --disable-pip-version-check "${args[@]}"
    .venv/bin/pip install -q --disable-pip-version-check --no-deps -e . >.venv/install.log 2>&1 \
      || { cat .venv/install.log; return 1; }
    rm -f .venv/.installed-*
    touch "$stamp"
  fi
}

compile_translations() {
  .venv/bin/python manage.py compilemessages --ignore=.venv >/dev/null
}

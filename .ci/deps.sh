# Sourced by run.sh, test.sh and .ci/run: installs the Debian 12 packages subguard builds and runs
# with, when any is missing, and builds the tree (reusing an existing build directory).

SUBGUARD_PACKAGES=(
  cmake ninja-build g++ pkg-config
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libpqxx-dev libhiredis-dev prometheus-cpp-dev
  libboost1.81-dev libboost-json1.81-dev libcurl4-openssl-dev libssl-dev
  libgtest-dev libgmock-dev
  postgresql redis-server
)

subguard_install_deps() {
  local missing=()
  for pkg in "${SUBGUARD_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# subguard_build BUILD_DIR: configures (once) and builds everything.
subguard_build() {
  local dir="$1"
  [ -f "$dir/build.ninja" ] || cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$dir" -j "$(nproc)"
}

#!/usr/bin/env bash
# Makes the real build infrastructure the build-push tests use, and is safe to run again and again:
# Debian's docker.io, docker-registry, buildah, podman and apache2-utils (htpasswd) installed when missing, a dockerd of
# our own (vfs storage, no iptables, no bridge: it runs in containers and on bare CI machines alike) and a
# docker-registry on loopback behind htpasswd auth. Prints nothing but progress; the settings tests need are
# written as KEY=VALUE lines to $BUILD_INFRA_DIR/env. Exits non-zero, saying why, when something cannot start.
set -euo pipefail

dir=${BUILD_INFRA_DIR:-/tmp/ecs-deploy-build-infra}
port=${BUILD_INFRA_REGISTRY_PORT:-5055}
mkdir -p "$dir"
chmod 700 "$dir"

# Test files start in parallel workers; one of them does the work, the others wait for it.
exec 9>"$dir/lock"
# The daemons started below must not inherit this descriptor, or they would hold the lock forever.
flock 9

say() { echo "build infra: $*" >&2; }
fail() {
  say "$*"
  exit 1
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null || missing+=(docker.io)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v buildah >/dev/null || missing+=(buildah)
  command -v podman >/dev/null || missing+=(podman)
  command -v htpasswd >/dev/null || missing+=(apache2-utils)
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || fail "missing ${missing[*]} and not root, so cannot apt-get install them"
  say "installing ${missing[*]}"
  local started=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq || fail "apt-get update failed"
  # The packages' own services (a system dockerd with iptables, a registry without auth on :5000) are not wanted,
  # and starting them can fail where there is no init system: deny service starts while installing, as Debian's
  # container images do, unless the machine already has a policy of its own.
  local policy=/usr/sbin/policy-rc.d
  local own_policy=false
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && own_policy=true
  fi
  local status=0
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$dir/apt.log" 2>&1 || status=$?
  if [ "$own_policy" = true ]; then rm -f "$policy"; fi
  [ "$status" -eq 0 ] || fail "apt-get install ${missing[*]} failed; see $dir/apt.log: $(tail -n 5 "$dir/apt.log")"
  say "installed in $((SECONDS - started))s"
}

socket="$dir/docker.sock"
docker_ready() { docker -H "unix://$socket" version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start_dockerd() {
  docker_ready && return 0
  say "starting dockerd"
  mkdir -p "$dir/docker" "$dir/exec"
  rm -f "$dir/dockerd.pid"
  nohup dockerd \
    --host "unix://$socket" \
    --data-root "$dir/docker" \
    --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" \
    --storage-driver vfs \
    --iptables=false \
    --ip6tables=false \
    --bridge=none \
    >"$dir/dockerd.log" 2>&1 </dev/null 9>&- &
  for _ in $(seq 1 300); do
    docker_ready && return 0
    sleep 0.1
  done
  fail "dockerd did not answer on $socket within 30s; its log ends: $(tail -n 5 "$dir/dockerd.log")"
}

registry="127.0.0.1:$port"
registry_ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$registry/v2/")" = 401 ]; }

start_registry() {
  if [ ! -s "$dir/registry.password" ]; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/registry.password"
  fi
  local password
  password=$(cat "$dir/registry.password")
  # The registry only accepts bcrypt entries.
  htpasswd -Bbn ci "$password" >"$dir/htpasswd"
  cat >"$dir/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/registry
  delete:
    enabled: true
http:
  addr: $registry
auth:
  htpasswd:
    realm: ecs-deploy-suite
    path: $dir/htpasswd
YAML
  registry_ready && return 0
  say "starting docker-registry on $registry"
  nohup docker-registry serve "$dir/registry.yml" >"$dir/registry.log" 2>&1 </dev/null 9>&- &
  echo $! >"$dir/registry.pid"
  for _ in $(seq 1 100); do
    registry_ready && return 0
    sleep 0.1
  done
  fail "docker-registry did not answer on http://$registry/v2/ within 10s; its log ends: $(tail -n 5 "$dir/registry.log")"
}

# buildah and podman read these: our own image store, and plain HTTP allowed for the loopback registry only (by
# its address, as the sandbox's ECR names it, and as localhost, which tests use as "another registry").
write_containers_config() {
  cat >"$dir/storage.conf" <<CONF
[storage]
driver = "vfs"
graphroot = "$dir/containers/storage"
runroot = "$dir/containers/run"
CONF
  cat >"$dir/registries.conf" <<CONF
[[registry]]
location = "$registry"
insecure = true

[[registry]]
location = "localhost:$port"
insecure = true
CONF
}

install_packages
start_dockerd
start_registry
write_containers_config

cat >"$dir/env.tmp" <<ENV
DOCKER_HOST=unix://$socket
REGISTRY_HOST=$registry
REGISTRY_USERNAME=ci
REGISTRY_PASSWORD=$(cat "$dir/registry.password")
CONTAINERS_STORAGE_CONF=$dir/storage.conf
CONTAINERS_REGISTRIES_CONF=$dir/registries.conf
BUILDAH_ISOLATION=chroot
ENV
mv "$dir/env.tmp" "$dir/env"
say "ready: dockerd on $socket, registry on http://$registry (settings in $dir/env)"

/**
 * Real-shaped outputs of `docker buildx inspect` and `docker info --format '{{json .}}'`.
 * Confirmed shapes: the docker-container text is buildx's docs/reference/buildx_inspect.md example; the remote one
 * follows docker/actions-toolkit's inspect fixture (a builder with several nodes, "Driver Options" per node); the
 * DriverStatus pairs are what docker's containerd image store docs show ([["driver-type","io.containerd.snapshotter.v1"]])
 * and the classic overlay2 pairs ("Backing Filesystem", "Supports d_type"...).
 * Not confirmed from a stored copy, written from the same layout: the `default` builder of the docker driver as a
 * GitHub-hosted runner shows it (its node's Endpoint is the context name, "default") and the kubernetes one.
 */
export const INSPECT_DEFAULT_DOCKER = `Name:          default
Driver:        docker
Last Activity: 2026-12-01 09:12:44 +0000 UTC

Nodes:
Name:             default
Endpoint:         default
Status:           running
BuildKit version: v0.23.2
Platforms:        linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/386
Labels:
 org.mobyproject.buildkit.worker.moby.host: fv-az123-456
`;

export const INSPECT_DOCKER_CONTAINER = `Name:          elated_tesla
Driver:        docker-container
Last Activity: 2022-11-30 12:42:47 +0100 CET

Nodes:
Name:           elated_tesla0
Endpoint:       unix:///var/run/docker.sock
Driver Options: env.BUILDKIT_STEP_LOG_MAX_SPEED="10485760" env.JAEGER_TRACE="localhost:6831" image="moby/buildkit:latest" network="host" env.BUILDKIT_STEP_LOG_MAX_SIZE="10485760"
Status:         running
BuildKit version: v0.10.3
Platforms:      linux/arm64*, linux/arm/v7, linux/arm/v6

Name:           elated_tesla1
Endpoint:       ssh://ubuntu@1.2.3.4
Status:         running
BuildKit version: v0.10.3
Platforms:      linux/arm64, linux/arm/v7, linux/arm/v6
`;

export const INSPECT_REMOTE = `Name:          remote-builder
Driver:        remote
Last Activity: 2023-04-20 12:47:49 +0000 UTC

Nodes:
Name:           remote-builder0
Endpoint:       docker-container://buildx_buildkit_dk-remote-builder0
Status:         inactive
Platforms:

Name:           aws_graviton2
Endpoint:       tcp://10.0.0.1:1234
Driver Options: cacert="/home/user/.certs/aws_graviton2/ca.pem" cert="/home/user/.certs/aws_graviton2/cert.pem"
Status:         active
Platforms:      linux/arm64
`;

export const INSPECT_KUBERNETES = `Name:          kube
Driver:        kubernetes
Last Activity: 2026-12-01 09:12:44 +0000 UTC

Nodes:
Name:           kube0-6977cdcb75-k9h9m
Endpoint:       
Driver Options: namespace="buildkit"
Status:         running
Platforms:      linux/amd64
`;

/** Trimmed `docker info --format '{{json .}}'` of a classic (overlay2) daemon. */
export const INFO_OVERLAY2 = JSON.stringify({
  ServerVersion: '28.0.4',
  Driver: 'overlay2',
  DriverStatus: [
    ['Backing Filesystem', 'extfs'],
    ['Supports d_type', 'true'],
    ['Using metacopy', 'false'],
    ['Native Overlay Diff', 'true'],
    ['userxattr', 'false'],
  ],
});

/** The same daemon with the containerd image store on. */
export const INFO_CONTAINERD = JSON.stringify({
  ServerVersion: '29.1.3',
  Driver: 'overlayfs',
  DriverStatus: [['driver-type', 'io.containerd.snapshotter.v1']],
});

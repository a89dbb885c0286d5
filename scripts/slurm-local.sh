#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the cluster bundle's integration test
# (tests/main/clusterSlurm.test.ts). Installs nothing: it needs Debian's slurmctld, slurmd,
# slurm-client and munge (.ci/run installs them) and root. Everything it makes lives in STATE:
# the munge key and socket, slurm.conf, spool, logs and PID files; /etc is not touched.
#
#   scripts/slurm-local.sh start STATE   start munged, slurmctld and slurmd; wait for the node
#   scripts/slurm-local.sh stop STATE    stop the daemons started in STATE (by their PIDs)
#
# Commands talk to this cluster with SLURM_CONF=STATE/slurm.conf. Ports: BLOCKSPIN_SLURM_PORT
# (default 16817) for slurmctld and the next one for slurmd.
set -euo pipefail
action="${1:-}"
state="${2:-}"
if [ -z "$action" ] || [ -z "$state" ]; then
  echo "usage: $0 start|stop STATE" >&2
  exit 2
fi
mkdir -p "$state"
state="$(cd "$state" && pwd)"

stop() {
  for name in slurmd slurmctld munged; do
    if [ -s "$state/$name.pid" ]; then
      pid="$(cat "$state/$name.pid")"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$state/$name.pid"
    fi
  done
}

if [ "$action" = stop ]; then
  stop
  exit 0
fi
[ "$action" = start ] || { echo "usage: $0 start|stop STATE" >&2; exit 2; }

missing=()
for cmd in munged mungekey slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$cmd" >/dev/null || [ -x "/usr/sbin/$cmd" ] || missing+=("$cmd")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Slurm is not installed here (missing: ${missing[*]}; apt-get install slurmctld slurmd slurm-client munge)." >&2
  exit 3
fi
if [ "$(id -u)" != 0 ]; then
  echo "A local Slurm cluster needs root (slurmd runs jobs as their users); running as $(id -un)." >&2
  exit 3
fi
export PATH="$PATH:/usr/sbin"
port="${BLOCKSPIN_SLURM_PORT:-16817}"
host="$(hostname -s)"
mem="$(awk '/MemAvailable/ { print int($2 / 1024 / 2) }' /proc/meminfo)"
mkdir -p "$state/ctld" "$state/d"

[ -s "$state/munge.key" ] || mungekey --create --keyfile="$state/munge.key" >/dev/null
chmod 600 "$state/munge.key"
munged --force --key-file="$state/munge.key" --socket="$state/munge.socket" \
  --pid-file="$state/munged.pid" --log-file="$state/munged.log" --seed-file="$state/munge.seed"

cat > "$state/slurm.conf" <<CONF
ClusterName=blockspinlocal
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
# cred_expire also sets how long a requeued job waits before it may start again (120 s by default).
AuthInfo=socket=$state/munge.socket,cred_expire=15
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
JobRequeue=1
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$state/slurm.conf"
slurmctld -f "$SLURM_CONF" -i
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do
  if sinfo -h -o %T 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "Slurm is up: SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.2
done
echo "Slurm did not come up within 20 s; see $state/slurmctld.log and $state/slurmd.log." >&2
stop
exit 1

#!/usr/bin/env bash
# The README's two commands in a clean clone of HEAD, as on a fresh machine: a temporary HOME and local cache, and a
# PATH that hides redis-server, redis-cli, cfn-lint and moto_server. npm start must turn healthy and land a posted
# summary event in Redis; with --test, npm test must pass there too. Prints each step's time; leaves nothing behind.
set -euo pipefail

if [ "${1:-}" = "--help" ]; then
  echo "usage: npm run check:fresh [-- --test]"
  echo "Runs npm ci and npm start (and with --test, npm test) in a clean clone of HEAD with no Redis, cfn-lint or"
  echo "moto reachable, and checks an event posted to the API reaches Redis. Example: npm run check:fresh -- --test"
  exit 0
fi
if [ -n "${1:-}" ] && [ "$1" != "--test" ]; then
  echo "unknown option $1 (npm run check:fresh -- --help lists the options, with an example)" >&2
  exit 2
fi

repository="$(git rev-parse --show-toplevel)"
work="$(mktemp -d /tmp/fresh-machine-XXXXXX)"
# OpenSearch runs as nobody under root and keeps its distribution in the cache below: nobody must pass through.
chmod 711 "$work"
pipeline=""
cleanup() {
  if [ -n "$pipeline" ] && kill -0 "$pipeline" 2>/dev/null; then
    kill -INT -- "-$pipeline"
    wait "$pipeline" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# Each PATH folder that holds a hidden tool is replaced by a folder of links to everything else in it.
hidden=(redis-server redis-cli cfn-lint moto_server)
fresh_path=""
index=0
IFS=: read -r -a folders <<<"$PATH"
for folder in "${folders[@]}"; do
  [ -d "$folder" ] || continue
  holds_hidden=no
  for tool in "${hidden[@]}"; do [ -e "$folder/$tool" ] && holds_hidden=yes; done
  if [ "$holds_hidden" = yes ]; then
    index=$((index + 1))
    shadow="$work/path-$index"
    mkdir -p "$shadow"
    for entry in "$folder"/*; do
      name="$(basename "$entry")"
      case " ${hidden[*]} " in *" $name "*) continue ;; esac
      ln -s "$entry" "$shadow/$name"
    done
    folder="$shadow"
  fi
  fresh_path="${fresh_path:+$fresh_path:}$folder"
done

export PATH="$fresh_path" HOME="$work/home" LOCAL_CACHE_DIR="$work/cache"
unset REDIS_URL OPENSEARCH_URL
mkdir -p "$HOME"
for tool in "${hidden[@]}"; do
  if command -v "$tool" >/dev/null; then
    echo "check:fresh: $tool is still on PATH" >&2
    exit 1
  fi
done
echo "check:fresh: a clean clone of $(git -C "$repository" rev-parse --short HEAD) in $work/clone; node $(node --version)"
echo "check:fresh: hidden from PATH: ${hidden[*]}; HOME and the local cache are empty"

step() { date +%s >"$work/started"; echo "check:fresh: \$ $*"; }
took() { echo "check:fresh: took $(($(date +%s) - $(cat "$work/started"))) s"; }

git clone -q "$repository" "$work/clone"
cd "$work/clone"

step npm ci
npm ci --no-audit --no-fund
took

port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
redis_port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
step "PORT=$port REDIS_URL=redis://127.0.0.1:$redis_port npm start"
# Its own process group, so Ctrl-C's SIGINT reaches npm start and the pipeline under it, as at a terminal.
set -m
PORT="$port" REDIS_URL="redis://127.0.0.1:$redis_port" npm start >"$work/start.log" 2>&1 &
pipeline=$!
set +m
for _ in $(seq 1 600); do
  grep -q '^ready' "$work/start.log" && break
  if ! kill -0 "$pipeline" 2>/dev/null; then
    cat "$work/start.log"
    echo "check:fresh: npm start ended before it was ready" >&2
    exit 1
  fi
  sleep 1
done
cat "$work/start.log"
grep -q '^ready' "$work/start.log" || { echo "check:fresh: npm start was not ready within 10 minutes" >&2; exit 1; }
took
grep -q 'redis-server was not installed: fetched Redis' "$work/start.log" ||
  { echo "check:fresh: npm start did not say it fetched redis-server" >&2; exit 1; }

now="$(date +%s)000"
flag="fresh-machine-$(date +%s)"
step "POST /bulk: a summary of $flag, 7 evaluations"
curl -sS -o /dev/null -w 'check:fresh: answered %{http_code}\n' -X POST "http://127.0.0.1:$port/bulk" \
  -H 'Authorization: sdk-local-development-key' -H 'Content-Type: application/json' \
  -d "[{\"kind\":\"summary\",\"startDate\":$((now - 1000)),\"endDate\":$now,\"features\":{\"$flag\":{\"default\":false,\"contextKinds\":[\"user\"],\"counters\":[{\"value\":true,\"variation\":1,\"version\":1,\"count\":7}]}}}]"
counted=0
for _ in $(seq 1 60); do
  report="$(npm run -s query -- flag --env local --environment local-development --flag "$flag" --json 2>/dev/null || true)"
  counted="$(echo "$report" | node -e "
    const hours = JSON.parse(require('fs').readFileSync(0, 'utf8')).perHour;
    console.log(Object.values(hours).flatMap(Object.values).reduce((sum, count) => sum + count, 0));" 2>/dev/null || echo 0)"
  [ "$counted" = 7 ] && break
  sleep 1
done
echo "$report"
[ "$counted" = 7 ] || { echo "check:fresh: Redis counts $counted evaluations of $flag, not 7, after 60 s" >&2; exit 1; }
took
step "Ctrl-C"
kill -INT -- "-$pipeline"
wait "$pipeline" || true
pipeline=""
sed -n '/draining and stopping/,$p' "$work/start.log"
took
if sed -n '/draining and stopping/,$p' "$work/start.log" | grep -qi 'error'; then
  echo "check:fresh: npm start wrote an error while stopping" >&2
  exit 1
fi

if [ "${1:-}" = "--test" ]; then
  step npm test
  npm test
  took
fi
echo "check:fresh: passed"

#!/usr/bin/env bash
# Regenerates the seed files of the fuzz corpus (tests/data/fuzz-corpus/NAME/seed-*) from the repository's good and
# bad inputs, keeping files of at most 4096 bytes (the fuzzers' -max_len). Regression files (regression-*) are left
# alone. Paths inside scenarios and campaigns are rewritten to the layout each harness builds in its scratch folder:
# a scenario at s/fuzz.yaml beside dnn/, platforms/, traces/ (tests/data) and platform/, trace/ (tests/data/bad); a
# campaign at c/campaign.yaml beside scenarios/ (tests/data/scenarios).
# Run: tests/fuzz/make_seed_corpus.sh   (from anywhere; idempotent)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=tests/data/fuzz-corpus

# seed HARNESS FILE [SED-SCRIPT]: copies FILE as seed-<path with '/' as '-'>, through sed if a script is given.
seed() {
  local harness=$1 file=$2 script=${3:-}
  [ -f "$file" ] || return 0
  [ "$(stat -c %s "$file")" -le 4096 ] || return 0
  local name="seed-${file//\//-}"
  if [ -n "$script" ]; then sed -e "$script" "$file" >"$out/$harness/$name"; else cp "$file" "$out/$harness/$name"; fi
}
# text HARNESS NAME TEXT: a hand-written seed.
text() { printf '%s' "$3" >"$out/$1/seed-$2"; }

for h in dnn_loader scenario_loader campaign_spec sample_csv rate number_axis overrides platform_check \
         trace_simgrid trace_mahimahi trace_mbps trace_sabre; do
  mkdir -p "$out/$h"
  rm -f "$out/$h"/seed-*
done

for f in tests/data/dnn/*.yaml tests/data/bad/dnn/*.yaml workloads/dnn/*.yaml; do seed dnn_loader "$f"; done
for f in tests/data/dnn/*.csv tests/data/bad/dnn/*.csv; do seed sample_csv "$f"; done

for f in tests/data/scenarios/*.yaml; do seed scenario_loader "$f"; done
for f in tests/data/bad/scenario/*.yaml; do
  seed scenario_loader "$f" \
    's#\.\./\.\./dnn/#../dnn/#; s#\.\./\.\./platforms/#../platforms/#; s#\.\./\.\./traces/#../traces/#'
done
for f in workloads/scenarios/*.yaml; do
  seed scenario_loader "$f" 's#dnn: .*#dnn: ../dnn/tiny3.yaml#; s#platform: .*#platform: ../platforms/pair.xml#;
                             s#trace: [^,}]*#trace: ../traces/good.profile#'
done

for f in tests/data/campaign/*.yaml tests/data/campaign/bad/*.yaml; do
  seed campaign_spec "$f" 's#scenario: \.\./scenario\.yaml#scenario: scenario.yaml#'
done
for f in tests/data/bad/campaign/*.yaml; do
  seed campaign_spec "$f" 's#\.\./\.\./scenarios/#../scenarios/#'
done
for f in workloads/campaigns/*.yaml; do
  seed campaign_spec "$f" 's#^scenario: .*#scenario: ../scenarios/tiny3.yaml#'
done

for f in platforms/*.xml tests/data/platforms/*.xml tests/data/bad/platform/*.xml; do seed platform_check "$f"; done
# Good platforms of the shapes no file in tests/data has: routers, sub-zones, stars, coordinates, options.
doctype='<?xml version="1.0"?>
<!DOCTYPE platform SYSTEM "https://simgrid.org/simgrid.dtd">'
text platform_check floyd-router.xml "$doctype
<platform version=\"4.1\"><zone id=\"w\" routing=\"Floyd\">
<host id=\"e\" speed=\"1Gf,500Mf\" pstate=\"1\"><prop id=\"role\" value=\"edge\"/></host>
<host id=\"c\" speed=\"2gigaflops\" core=\"8\"><prop id=\"role\" value=\"cloud\"/><disk id=\"d\" read_bw=\"100MBps\" write_bw=\"80MiBps\"/></host>
<router id=\"r\"/>
<link id=\"a\" bandwidth=\"5.5Mbps\" latency=\"25ms\" sharing_policy=\"SPLITDUPLEX\"><prop id=\"role\" value=\"uplink\"/></link>
<link id=\"b\" bandwidth=\"1GiBps\" latency=\"0\" sharing_policy=\"FATPIPE\"/>
<route src=\"e\" dst=\"r\"><link_ctn id=\"a\" direction=\"UP\"/></route>
<route src=\"r\" dst=\"c\"><link_ctn id=\"b\"/></route>
<bypassRoute src=\"e\" dst=\"c\"><link_ctn id=\"a_UP\"/></bypassRoute>
</zone></platform>
"
text platform_check zones.xml "$doctype
<platform version=\"4\"><config id=\"c\"><prop id=\"network/crosstraffic\" value=\"0\"/></config>
<AS id=\"w\" routing=\"Dijkstra\"><prop id=\"p\" value=\"&amp;&#65;\"/>
<zone id=\"edges\" routing=\"Full\"><host id=\"e\" speed=\"1Gf\"><prop id=\"role\" value=\"edge\"/></host></zone>
<zone id=\"clouds\" routing=\"DijkstraCache\"><host id=\"c\" speed=\"1Gf\"><prop id=\"role\" value=\"cloud\"/></host></zone>
<link id=\"l\" bandwidth=\"1Gbps\" latency=\"1us\"/>
<zoneRoute src=\"edges\" dst=\"clouds\" gw_src=\"e\" gw_dst=\"c\" symmetrical=\"no\"><link_ctn id=\"l\"/></zoneRoute>
<ASroute src=\"clouds\" dst=\"edges\" gw_src=\"c\" gw_dst=\"e\" symmetrical=\"NO\"><link_ctn id=\"l\"/></ASroute>
<bypassZoneRoute src=\"edges\" dst=\"clouds\" gw_src=\"e\" gw_dst=\"c\"><link_ctn id=\"l\"/></bypassZoneRoute>
</AS></platform>
"
text platform_check star.xml "$doctype
<platform version=\"4.1\"><zone id=\"w\" routing=\"Cluster\">
<host id=\"e\" speed=\"1Gf\"><prop id=\"role\" value=\"edge\"/></host>
<host id=\"c\" speed=\"1Gf\"><prop id=\"role\" value=\"cloud\"/></host>
<link id=\"u\" bandwidth=\"1Gbps\" latency=\"0\"/><backbone id=\"bb\" bandwidth=\"10Gbps\" latency=\"1ms\"/>
<host_link id=\"e\" up=\"u\" down=\"u\"/>
</zone></platform>
"
text platform_check vivaldi.xml "$doctype
<platform version=\"4.1\"><zone id=\"w\" routing=\"Vivaldi\">
<host id=\"e\" speed=\"1Gf\" coordinates=\"1 2 3\"/><router id=\"r\" coordinates=\"-1.5 0 1e3\"/>
</zone></platform>
"

for f in tests/data/traces/*.profile tests/data/traces/bad/*.profile tests/data/bad/trace/*.profile \
         platforms/traces/*.profile; do seed trace_simgrid "$f"; done
for f in tests/data/traces/*.up tests/data/traces/bad/*.up tests/data/bad/trace/*.up; do seed trace_mahimahi "$f"; done
for f in tests/data/traces/*.mbps tests/data/traces/bad/*.mbps tests/data/bad/trace/*.mbps; do
  seed trace_mbps "$f"
done
for f in tests/data/traces/*.json tests/data/traces/bad/*.json tests/data/bad/trace/*.json; do
  seed trace_sabre "$f"
done

i=0
for r in 1.1Mbps 700kbps 2MBps 3g 4g WiFi 8kbps 80kbps 20Mbps 10Kibps 1.5GiBps 1e3Tbps ' 5.5Mbps ' 0bps -1Mbps \
         5g 1e400bps nanbps 0x10bps 12 1.5; do
  text rate "$((i += 1))" "$r"
done
i=0
for a in 1,10,100 0:1:0.1 1:1000:1 '0.5, 0.9' 1e-3:1e-2:1e-3 0.05:0.95:0.05 1,2:4:1,8 1:2 3:1:1 1:2:0 ',1' 'a,b' \
         4g,wifi,3g -1:1:0.25 1:1:1; do
  text number_axis "$((i += 1))" "$a"
done
tiny3=$(grep -v '^#' tests/data/scenarios/tiny3.yaml)
text overrides 1 $'gamma=100\nuplink=4g\npolicy=fixed:l2\n\n'"$tiny3"
text overrides 2 $'uplink.trace=../traces/good.profile\nuplink.format=simgrid\nuplink.loop=false\n\n'"$tiny3"
text overrides 3 $'devices.1.gamma=2\ndevices.0={gamma: 5, arrival: poisson}\n\n'\
$'devices:\n  - {gamma: 1}\n  - {gamma: 3}\n'
text overrides 4 $'arrival={process: poisson, rate_hz: 5}\nestimator.kind=ewma\nestimator.alpha=0.5\n\n'
text overrides 5 $'a.b.c=[1, \'2\', {x: y}]\ndescription=\'10\'\nx=\nempty=\'\'\n\n'
text overrides 6 $'gamma\n=3\na..b=1\n.gamma=1\ngamma.x=1\ngamma={a\ndevices.7.gamma=1\n\ngamma: 10\ndevices: [{}]\n'
text overrides 7 $'exit_prob.b1=0.3\nexit_schedule=[{at_s: 0, variant: blur}]\n\nexit_prob: {b1: 0.1}\n'

#!/bin/sh
# Runs the incident in the jlink-ed image under a recording, then the image's own report on it.
# Fails if the image holds OpenTelemetry or Micrometer, or if the report finds nothing.
set -eu
image=$1
out=$2
modules=$("$image/bin/java" --list-modules)
echo "$modules"
if echo "$modules" | grep -Eq '^(io\.opentelemetry|micrometer)'; then
  echo "the image must not contain OpenTelemetry or Micrometer" >&2
  exit 1
fi
rm -f "$out/incident-default.jfr" "$out/incident.jfr" "$out/incident.html" "$out/incident.txt" "$out/incident.json"
"$image/bin/java" -XX:StartFlightRecording:settings=profile,settings=phyxius-profile,filename="$out/incident.jfr" \
  -m dev.phyxius.analysis.demo/dev.phyxius.analysis.demo.Incident
"$image/bin/phyxius-report" --html "$out/incident.html" "$out/incident.jfr" | tee "$out/incident.txt"
"$image/bin/phyxius-report" --json "$out/incident.jfr" > "$out/incident.json"
for expected in "Restart storm" "Mailbox backlog" "Carrier pinned in a handler" "orders" "payments" "catalog" \
    "MessageHandled threshold: none"; do
  grep -q "$expected" "$out/incident.txt" || { echo "the report does not mention: $expected" >&2; exit 1; }
done
# The always-on settings with the JDK's default: the shipped 10 ms threshold is in force.
"$image/bin/java" -XX:StartFlightRecording:settings=default,settings=phyxius,filename="$out/incident-default.jfr" \
  -m dev.phyxius.analysis.demo/dev.phyxius.analysis.demo.Incident > /dev/null
"$image/bin/phyxius-report" "$out/incident-default.jfr" > "$out/incident-default.txt"
grep -q "MessageHandled threshold: 10.0 ms" "$out/incident-default.txt" \
  || { echo "settings=default,settings=phyxius did not apply phyxius.jfc" >&2; exit 1; }
echo "jlink image size: $(du -sh "$image" | cut -f1)"

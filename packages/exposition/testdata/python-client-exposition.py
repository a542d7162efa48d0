# Writes one registry of every metric kind in text 0.0.4 and OpenMetrics with prometheus_client
# (Debian python3-prometheus-client), as JSON {"text": …, "om": …}, for python-client.test.ts.
import sys, json
from prometheus_client import CollectorRegistry, Counter, Gauge, Summary, Histogram, Info, Enum, generate_latest
from prometheus_client.openmetrics.exposition import generate_latest as om_latest
r = CollectorRegistry()
c = Counter('requests', 'Requests "served".\nBack\\slash', ['code', 'path'], registry=r)
c.labels('200', 'a"b\\c\nd').inc(1027)
g = Gauge('temp_celsius', 'Temperature.', registry=r, unit='celsius')
g.set(-3.5e-7)
s = Summary('lat_seconds', 'Latency.', registry=r)
s.observe(0.25); s.observe(1.5)
h = Histogram('size_bytes', 'Sizes.', buckets=[1, 2.5, 1e6], registry=r)
h.observe(2); h.observe(3e6)
i = Info('build', 'Build info.', registry=r)
i.info({'version': '1.2.3'})
e = Enum('state', 'State.', states=['a', 'b'], registry=r)
e.state('b')
sys.stdout.write(json.dumps({'text': generate_latest(r).decode(), 'om': om_latest(r).decode()}))

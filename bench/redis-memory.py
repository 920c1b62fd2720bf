#!/usr/bin/env python3
# Redis memory per 10,000 events of history (docs/scaling.md): run against one instance on an empty Redis log,
#   python3 bench/redis-memory.py http://127.0.0.1:3001
# then read redis-cli MEMORY USAGE '{swarmcast}:stream' SAMPLES 0 and INFO memory.
# It posts 10,000 representative events (agent status, task update, message with a payload of about 90 characters,
# memory operation, in turn) to POST /api/events in batches of 100. It sends no token: run it against an instance without tokens, on loopback.
import json, sys, urllib.request
base = sys.argv[1]
def event(i):
    k = i % 4
    if k == 0: return {"type": "agent:status", "agentId": f"agent-{i % 50}", "status": "busy"}
    if k == 1: return {"type": "task:update", "taskId": f"task-{i}", "status": "running", "agentId": f"agent-{i % 50}"}
    if k == 2: return {"type": "message:sent", "messageId": f"msg-{i}", "source": f"agent-{i % 50}", "target": "coordinator",
                       "messageType": "task", "payload": "Finished step %d of the refactor: 3 files changed, tests green, next is the API layer." % i}
    return {"type": "memory:operation", "operation": "store", "namespace": "swarm", "key": f"notes/{i}", "latency": 1.5}
for start in range(0, 10000, 100):
    body = json.dumps([event(i) for i in range(start, start + 100)]).encode()
    req = urllib.request.Request(base + "/api/events", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        assert r.status == 202, r.status
print("posted 10000")

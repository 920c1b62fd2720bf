package io.swarmcast.demo;

import java.util.List;
import java.util.Map;

/**
 * The words of the demo: who is in the swarm, what they work on, what they say and what goes wrong. Plain
 * data, kept apart from the decisions in {@link DemoScript}.
 */
final class DemoNames {

    static final String COORDINATOR_NAME = "Iris";

    /** Worker names, in the order workers join. */
    static final List<String> WORKER_NAMES = List.of("Ada", "Linus", "Grace", "Alan", "Barbara", "Ken", "Margaret",
            "Dennis", "Frances", "Edsger", "Radia", "Guido", "Hedy", "Niklaus", "Karen", "Donald", "Sophie", "Tim",
            "Anita", "John");

    /**
     * Worker types, in the order workers join. Two coders early on, so the adaptive topology (which links
     * workers of one type) has a team to show.
     */
    static final List<String> WORKER_TYPES = List.of("coder", "researcher", "coder", "tester", "reviewer", "analyst",
            "optimizer", "architect", "documenter", "tester");

    static final Map<String, List<String>> CAPABILITIES = Map.of(
            "coordinator", List.of("orchestration", "planning"),
            "coder", List.of("java", "typescript", "refactoring"),
            "researcher", List.of("web-search", "summarisation"),
            "tester", List.of("integration-tests", "fuzzing"),
            "reviewer", List.of("code-review", "security"),
            "analyst", List.of("metrics", "sql"),
            "optimizer", List.of("profiling", "benchmarks"),
            "architect", List.of("system-design", "adr"),
            "documenter", List.of("technical-writing"));

    /** Task descriptions by the type of worker that should take them. */
    static final Map<String, List<String>> TASKS = Map.of(
            "coder", List.of(
                    "Implement rate limiting for the ingest endpoint",
                    "Refactor the session registry into smaller classes",
                    "Add retry with exponential backoff to the webhook client",
                    "Fix off-by-one in /api/tasks pagination",
                    "Port the CSV exporter to streaming writes",
                    "Add an idempotency key to POST /api/events"),
            "researcher", List.of(
                    "Survey CRDT libraries for shared agent memory",
                    "Compare vector stores for semantic recall",
                    "Summarise recent papers on multi-agent planning",
                    "Find prior art for gapless WebSocket resume"),
            "tester", List.of(
                    "Write integration tests for task reassignment",
                    "Fuzz the JSON event parser with malformed frames",
                    "Reproduce the flaky heartbeat timeout from CI",
                    "Load-test fan-out with 100 slow clients"),
            "reviewer", List.of(
                    "Review PR #412: WebSocket backpressure",
                    "Review PR #418: Redis stream trimming",
                    "Audit the ingest endpoints for injection risks",
                    "Review the release notes for 0.4.0"),
            "analyst", List.of(
                    "Analyse p99 latency of memory retrieves",
                    "Break down token spend per agent type",
                    "Chart task failure causes over the last week",
                    "Estimate the cache hit rate after the warm-up fix"),
            "optimizer", List.of(
                    "Profile fan-out serialisation and cut allocations",
                    "Tune the read cache size for the memory service",
                    "Shave start-up time below two seconds"),
            "architect", List.of(
                    "Design the sharding plan for the event log",
                    "Write an ADR on Redis Streams versus Kafka",
                    "Sketch the multi-region failover"),
            "documenter", List.of(
                    "Write the runbook for Redis failover",
                    "Document the resume protocol with examples",
                    "Update the quick start for the new CLI"));

    static final List<String> PRIORITIES = List.of("low", "medium", "medium", "high", "high", "critical");

    static final List<String> TASK_ERRORS = List.of(
            "TimeoutError: model provider did not answer within 30 s",
            "AssertionError: 3 of 112 tests failed",
            "RateLimitError: provider answered 429, retries exhausted",
            "Merge conflict in src/main/java/io/swarmcast/server/FanOut.java",
            "ToolError: sandbox refused to run the migration");

    static final List<String> CRASHES = List.of(
            "lost the connection to its model provider",
            "ran out of memory while indexing the repository",
            "hung in a tool call and was restarted");

    /** Questions one agent asks another, each with the answer it gets. */
    static final List<String[]> QUESTIONS = List.of(
            new String[] {"Which port does the staging gateway listen on?", "3001, behind the ingress"},
            new String[] {"Is the retry budget per request or per session?", "Per session; see knowledge/patterns/retry-backoff"},
            new String[] {"Who owns the flaky heartbeat test?", "Nobody yet; I'll take it after this task"},
            new String[] {"Can I change the event log's trim policy?", "Only with an ADR; talk to the architect first"},
            new String[] {"Where are the benchmark baselines?", "In memory under knowledge/benchmarks/fanout-p99"},
            new String[] {"Does the parser accept numbers as strings?", "No, it is strict: 400 naming the field"});

    static final List<String> ANNOUNCEMENTS = List.of(
            "Sprint goal: ship resumable subscriptions",
            "Main is frozen until the flaky heartbeat test is fixed",
            "Reminder: record decisions in knowledge/decisions/",
            "Provider quota resets at midnight UTC; go easy on large contexts");

    /** Knowledge the swarm writes down: key and summary. */
    static final List<String[]> KNOWLEDGE = List.of(
            new String[] {"patterns/retry-backoff", "Retry with full jitter, base 200 ms, cap 10 s, at most 5 tries"},
            new String[] {"api/github-rate-limits", "5000 requests per hour per token; search is 30 per minute"},
            new String[] {"decisions/event-log-redis", "Use Redis Streams for the shared event log; trim by MAXLEN"},
            new String[] {"findings/crdt-libraries", "Automerge and Yjs are mature; Yjs is faster for text"},
            new String[] {"conventions/commit-messages", "Imperative mood, say why, reference the task id"},
            new String[] {"benchmarks/fanout-p99", "p99 fan-out latency 4.1 ms at 100 clients, 2 cores"},
            new String[] {"findings/heartbeat-flake", "The flaky test races the first ping; use Awaitility"});

    /** Keys someone looks for that nobody wrote: retrieves that find nothing. */
    static final List<String> MISSING_KEYS = List.of("patterns/circuit-breaker", "findings/vector-store-costs",
            "decisions/auth-provider");

    /** Searches agents run over the knowledge namespace: text, or {@code prefix:} a key prefix. */
    static final List<String> SEARCHES = List.of("retry", "redis", "latency", "rate", "prefix:patterns/",
            "prefix:decisions/", "prefix:findings/");

    private DemoNames() {
    }
}

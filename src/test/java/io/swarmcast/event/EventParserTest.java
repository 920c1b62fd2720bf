package io.swarmcast.event;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The strict flat-form parser of docs/protocol.md section 2: every type's required fields, and error messages
 * that name the field and, for word fields, every allowed value, so a producer can fix its event from the
 * message alone.
 */
class EventParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long NOW = 1_764_085_000_000L;

    private final EventParser parser = new EventParser(JSON, () -> NOW);

    private DashboardEvent parse(String json) {
        return parser.parse(JSON.readTree(json));
    }

    /** Parses, expects a refusal naming {@code field}, and returns the message for further checks. */
    private String rejected(String json, String field) {
        EventValidationException e = catchThrowableOfType(EventValidationException.class, () -> parse(json));
        assertThat(e).as("expected %s to be refused", json).isNotNull();
        assertThat(e.getField()).isEqualTo(field);
        assertThat(e.getMessage()).contains(field);
        return e.getMessage();
    }

    @Nested
    class Envelope {

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"agent:status\"", "42", "null"})
        void nonObjectIsRefusedNamingType(String json) {
            rejected(json, "type");
        }

        @Test
        void missingTypeListsTheTypes() {
            String message = rejected("{\"agentId\":\"a1\",\"status\":\"busy\"}", "type");
            assertThat(message).contains(String.join(", ", EventParser.TYPES));
        }

        @Test
        void unknownTypeIsRefusedWithTheValueAndTheTypes() {
            String message = rejected("{\"type\":\"agent:spawned\",\"agentId\":\"a1\"}", "type");
            assertThat(message).contains("'agent:spawned'").contains("agent:status").contains("metrics:update");
        }

        @Test
        void typeMustBeAString() {
            rejected("{\"type\":7}", "type");
        }

        @Test
        void missingTimestampMeansNow() {
            assertThat(parse("{\"type\":\"agent:status\",\"agentId\":\"a1\",\"status\":\"idle\"}").timestamp()).isEqualTo(NOW);
        }

        @Test
        void givenTimestampIsKept() {
            assertThat(parse("{\"type\":\"agent:status\",\"agentId\":\"a1\",\"status\":\"idle\",\"timestamp\":1234}").timestamp())
                    .isEqualTo(1234L);
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-5", "\"2025-01-01T00:00:00Z\"", "12.5", "true"})
        void badTimestampIsRefused(String timestamp) {
            rejected("{\"type\":\"agent:status\",\"agentId\":\"a1\",\"status\":\"idle\",\"timestamp\":" + timestamp + "}",
                    "timestamp");
        }
    }

    @Nested
    class AgentStatus {

        @Test
        void parsesEveryField() {
            AgentStatusEvent e = (AgentStatusEvent) parse("""
                    {"type":"agent:status","agentId":"coder-1","name":"Coder-Alpha","agentType":"coder","status":"busy",
                     "task":"task-7","metrics":{"cpu":12.5,"memory":180,"messageCount":31,"tasksCompleted":4,"tasksFailed":1},
                     "createdAt":99,"timestamp":1000}""");
            assertThat(e).isEqualTo(new AgentStatusEvent("coder-1", "Coder-Alpha", "coder", io.swarmcast.event.AgentStatus.BUSY,
                    "task-7", new AgentMetrics(12.5, 180.0, 31L, 4L, 1L), 99L, 1000L));
            assertThat(e.channel()).isEqualTo(Channel.AGENTS);
            assertThat(e.durable()).isTrue();
        }

        @Test
        void onlyAgentIdAndStatusAreRequired() {
            AgentStatusEvent e = (AgentStatusEvent) parse("{\"type\":\"agent:status\",\"agentId\":\"a1\",\"status\":\"spawning\"}");
            assertThat(e.name()).isNull();
            assertThat(e.agentType()).isNull();
            assertThat(e.metrics()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", ",\"agentId\":\"\"", ",\"agentId\":\"  \"", ",\"agentId\":5"})
        void agentIdIsRequiredAndAString(String agentId) {
            rejected("{\"type\":\"agent:status\",\"status\":\"busy\"" + agentId + "}", "agentId");
        }

        @Test
        void everyStatusWordIsAccepted() {
            for (io.swarmcast.event.AgentStatus status : io.swarmcast.event.AgentStatus.values()) {
                AgentStatusEvent e = (AgentStatusEvent) parse("{\"type\":\"agent:status\",\"agentId\":\"a\",\"status\":\""
                        + status.wireName() + "\"}");
                assertThat(e.status()).isEqualTo(status);
            }
        }

        @Test
        void missingStatusListsAllowedValues() {
            String message = rejected("{\"type\":\"agent:status\",\"agentId\":\"a1\"}", "status");
            assertThat(message).contains("spawning, active, idle, busy, error, stopped");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"sleeping\"", "\"BUSY\"", "\"terminated\"", "3", "{}"})
        void badStatusListsAllowedValues(String status) {
            String message = rejected("{\"type\":\"agent:status\",\"agentId\":\"a1\",\"status\":" + status + "}", "status");
            assertThat(message).contains("spawning, active, idle, busy, error, stopped");
        }

        @Test
        void badStatusMessageQuotesTheValue() {
            assertThat(rejected("{\"type\":\"agent:status\",\"agentId\":\"a1\",\"status\":\"sleeping\"}", "status"))
                    .contains("(got 'sleeping')");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "\"name\":3|name",
                "\"agentType\":[]|agentType",
                "\"task\":true|task",
                "\"createdAt\":\"yesterday\"|createdAt",
                "\"metrics\":\"high\"|metrics",
                "\"metrics\":{\"cpu\":\"12%\"}|metrics.cpu",
                "\"metrics\":{\"messageCount\":1.5}|metrics.messageCount"})
        void wrongFieldTypesAreNamed(String field, String named) {
            rejected("{\"type\":\"agent:status\",\"agentId\":\"a1\",\"status\":\"busy\"," + field + "}", named);
        }
    }

    @Nested
    class TaskUpdate {

        @Test
        void parsesEveryField() {
            TaskUpdateEvent e = (TaskUpdateEvent) parse("""
                    {"type":"task:update","taskId":"t1","status":"running","agentId":"a1","description":"build",
                     "progress":40,"error":null,"startTime":10,"endTime":20,"createdAt":5,"taskType":"code",
                     "priority":"high","timestamp":30}""");
            assertThat(e).isEqualTo(new TaskUpdateEvent("t1", TaskStatus.RUNNING, "a1", "build", 40, null, 10L, 20L, 5L,
                    "code", "high", 30L));
            assertThat(e.channel()).isEqualTo(Channel.TASKS);
        }

        @Test
        void taskIdIsRequired() {
            rejected("{\"type\":\"task:update\",\"status\":\"pending\"}", "taskId");
        }

        @Test
        void statusListsAllowedValues() {
            assertThat(rejected("{\"type\":\"task:update\",\"taskId\":\"t1\",\"status\":\"in_progress\"}", "status"))
                    .contains("pending, assigned, running, completed, failed")
                    .contains("'in_progress'");
            assertThat(rejected("{\"type\":\"task:update\",\"taskId\":\"t1\"}", "status"))
                    .contains("pending, assigned, running, completed, failed");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 100})
        void progressBoundsAreInclusive(int progress) {
            TaskUpdateEvent e = (TaskUpdateEvent) parse("{\"type\":\"task:update\",\"taskId\":\"t1\",\"status\":\"running\",\"progress\":"
                    + progress + "}");
            assertThat(e.progress()).isEqualTo(progress);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"101|between 0 and 100", "-1|between 0 and 100", "\"50\"|whole number",
                "50.5|whole number"})
        void progressOutOfRangeOrNotAWholeNumberIsRefused(String progress, String expected) {
            assertThat(rejected("{\"type\":\"task:update\",\"taskId\":\"t1\",\"status\":\"running\",\"progress\":" + progress + "}",
                    "progress")).contains(expected);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"\"agentId\":1|agentId", "\"description\":{}|description",
                "\"error\":false|error", "\"startTime\":\"now\"|startTime", "\"endTime\":[1]|endTime",
                "\"priority\":1|priority"})
        void wrongFieldTypesAreNamed(String field, String named) {
            rejected("{\"type\":\"task:update\",\"taskId\":\"t1\",\"status\":\"failed\"," + field + "}", named);
        }
    }

    @Nested
    class MessageSent {

        @Test
        void parsesEveryField() {
            MessageSentEvent e = (MessageSentEvent) parse("""
                    {"type":"message:sent","messageId":"m1","source":"a1","target":"a2","messageType":"query",
                     "payload":{"q":"status?"},"size":77,"timestamp":5}""");
            assertThat(e.messageId()).isEqualTo("m1");
            assertThat(e.source()).isEqualTo("a1");
            assertThat(e.target()).isEqualTo("a2");
            assertThat(e.messageType()).isEqualTo(MessageType.QUERY);
            assertThat(e.payload().path("q").asString()).isEqualTo("status?");
            assertThat(e.size()).isEqualTo(77);
            assertThat(e.channel()).isEqualTo(Channel.MESSAGES);
        }

        @Test
        void missingMessageIdAndSizeAreFilledIn() {
            MessageSentEvent e = (MessageSentEvent) parse(
                    "{\"type\":\"message:sent\",\"source\":\"a1\",\"target\":\"a2\",\"messageType\":\"task\",\"payload\":\"h\u00e9llo\"}");
            assertThat(e.messageId()).startsWith("msg-").hasSizeGreaterThan(4);
            // The size is the payload's UTF-8 size: 'é' takes two bytes.
            assertThat(e.size()).isEqualTo(6);

            MessageSentEvent objectPayload = (MessageSentEvent) parse(
                    "{\"type\":\"message:sent\",\"source\":\"a1\",\"target\":\"a2\",\"messageType\":\"task\",\"payload\":{\"a\":1}}");
            assertThat(objectPayload.size()).isEqualTo("{\"a\":1}".length());

            MessageSentEvent noPayload = (MessageSentEvent) parse(
                    "{\"type\":\"message:sent\",\"source\":\"a1\",\"target\":\"a2\",\"messageType\":\"task\"}");
            assertThat(noPayload.size()).isZero();
            assertThat(noPayload.messageId()).isNotEqualTo(e.messageId());
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "{\"type\":\"message:sent\",\"target\":\"a2\",\"messageType\":\"task\"}|source",
                "{\"type\":\"message:sent\",\"source\":\"\",\"target\":\"a2\",\"messageType\":\"task\"}|source",
                "{\"type\":\"message:sent\",\"source\":\"a1\",\"messageType\":\"task\"}|target",
                "{\"type\":\"message:sent\",\"source\":\"a1\",\"target\":{},\"messageType\":\"task\"}|target"})
        void sourceAndTargetAreRequiredStrings(String json, String field) {
            rejected(json, field);
        }

        @Test
        void messageTypeListsAllowedValues() {
            assertThat(rejected("{\"type\":\"message:sent\",\"source\":\"a1\",\"target\":\"a2\",\"messageType\":\"chat\"}",
                    "messageType")).contains("task, response, query, broadcast, error");
            assertThat(rejected("{\"type\":\"message:sent\",\"source\":\"a1\",\"target\":\"a2\"}", "messageType"))
                    .contains("task, response, query, broadcast, error");
        }

        @Test
        void sizeMustBeAWholeNumber() {
            rejected("{\"type\":\"message:sent\",\"source\":\"a1\",\"target\":\"a2\",\"messageType\":\"task\",\"size\":\"big\"}", "size");
        }
    }

    @Nested
    class MemoryOperation {

        @Test
        void parsesEveryField() {
            MemoryOperationEvent e = (MemoryOperationEvent) parse("""
                    {"type":"memory:operation","operation":"retrieve","namespace":"ns","key":"k","value":{"v":1},
                     "resultCount":1,"cacheHit":true,"latency":2.5,"success":false,"error":"boom","agentId":"a1","timestamp":9}""");
            assertThat(e.operation()).isEqualTo(MemoryOperationType.RETRIEVE);
            assertThat(e.namespace()).isEqualTo("ns");
            assertThat(e.key()).isEqualTo("k");
            assertThat(e.value().path("v").asInt()).isEqualTo(1);
            assertThat(e.resultCount()).isEqualTo(1);
            assertThat(e.cacheHit()).isTrue();
            assertThat(e.latency()).isEqualTo(2.5);
            assertThat(e.success()).isFalse();
            assertThat(e.error()).isEqualTo("boom");
            assertThat(e.agentId()).isEqualTo("a1");
            assertThat(e.channel()).isEqualTo(Channel.MEMORY);
        }

        @Test
        void latencyDefaultsToZero() {
            MemoryOperationEvent e = (MemoryOperationEvent) parse(
                    "{\"type\":\"memory:operation\",\"operation\":\"store\",\"namespace\":\"ns\",\"key\":\"k\"}");
            assertThat(e.latency()).isZero();
        }

        @Test
        void operationListsAllowedValues() {
            assertThat(rejected("{\"type\":\"memory:operation\",\"operation\":\"write\",\"namespace\":\"ns\",\"key\":\"k\"}",
                    "operation")).contains("store, retrieve, search, delete, update");
        }

        @Test
        void namespaceIsRequired() {
            rejected("{\"type\":\"memory:operation\",\"operation\":\"search\",\"query\":\"q\"}", "namespace");
        }

        @ParameterizedTest
        @ValueSource(strings = {"store", "retrieve", "update", "delete"})
        void keyedOperationsNeedAKey(String operation) {
            rejected("{\"type\":\"memory:operation\",\"operation\":\"" + operation + "\",\"namespace\":\"ns\"}", "key");
        }

        @Test
        void searchNeedsAQueryButNoKey() {
            rejected("{\"type\":\"memory:operation\",\"operation\":\"search\",\"namespace\":\"ns\"}", "query");
            MemoryOperationEvent e = (MemoryOperationEvent) parse(
                    "{\"type\":\"memory:operation\",\"operation\":\"search\",\"namespace\":\"ns\",\"query\":\"agents\",\"resultCount\":3}");
            assertThat(e.key()).isNull();
            assertThat(e.query()).isEqualTo("agents");
            assertThat(e.resultCount()).isEqualTo(3);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"\"cacheHit\":\"yes\"|cacheHit|true or false",
                "\"latency\":\"fast\"|latency|number", "\"resultCount\":-1|resultCount|between 0",
                "\"success\":1|success|true or false"})
        void wrongFieldTypesAreNamed(String field, String named, String expected) {
            assertThat(rejected("{\"type\":\"memory:operation\",\"operation\":\"store\",\"namespace\":\"ns\",\"key\":\"k\","
                    + field + "}", named)).contains(expected);
        }
    }

    @Nested
    class TopologyChange {

        @Test
        void parsesNodesAndEdges() {
            TopologyChangeEvent e = (TopologyChangeEvent) parse("""
                    {"type":"topology:change","topology":"mesh",
                     "nodes":[{"id":"a1","name":"A","type":"coder","status":"busy"},{"id":"a2"}],
                     "edges":[{"source":"a1","target":"a2","health":"healthy"}]}""");
            assertThat(e.topology()).isEqualTo(Topology.MESH);
            assertThat(e.nodes()).containsExactly(new TopologyChangeEvent.Node("a1", "A", "coder", "busy"),
                    new TopologyChangeEvent.Node("a2", null, null, null));
            assertThat(e.edges()).containsExactly(new TopologyChangeEvent.Edge("a1", "a2", "healthy"));
            assertThat(e.channel()).isEqualTo(Channel.TOPOLOGY);
        }

        @Test
        void nodesAndEdgesMayBeAbsent() {
            TopologyChangeEvent e = (TopologyChangeEvent) parse("{\"type\":\"topology:change\",\"topology\":\"adaptive\"}");
            assertThat(e.nodes()).isEmpty();
            assertThat(e.edges()).isEmpty();
        }

        @Test
        void topologyListsAllowedValues() {
            assertThat(rejected("{\"type\":\"topology:change\",\"topology\":\"star\"}", "topology"))
                    .contains("hierarchical, mesh, adaptive");
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "\"nodes\":{}|nodes",
                "\"nodes\":[{\"id\":\"a\"},{\"name\":\"no id\"}]|nodes[1].id",
                "\"nodes\":[\"a1\"]|nodes[0]",
                "\"nodes\":[{\"id\":\"a\",\"status\":5}]|nodes[0].status",
                "\"edges\":[{\"source\":\"a\"}]|edges[0].target",
                "\"edges\":[{\"source\":\"a\",\"target\":\"b\"},{\"target\":\"b\"}]|edges[1].source",
                "\"edges\":7|edges"})
        void badNodesAndEdgesNameTheirPath(String field, String named) {
            rejected("{\"type\":\"topology:change\",\"topology\":\"mesh\"," + field + "}", named);
        }
    }

    @Nested
    class MetricsUpdate {

        private static final String VALID = "\"activeAgents\":3,\"pendingTasks\":2,\"messagesPerSecond\":1.5,\"memoryOpsPerSecond\":0";

        @Test
        void parsesEveryField() {
            MetricsUpdateEvent e = (MetricsUpdateEvent) parse("{\"type\":\"metrics:update\"," + VALID
                    + ",\"connectedClients\":4,\"eventsPerSecond\":9.5,\"timestamp\":7}");
            assertThat(e).isEqualTo(new MetricsUpdateEvent(3, 2, 1.5, 0.0, 4, 9.5, 7L));
            assertThat(e.channel()).isEqualTo(Channel.METRICS);
            assertThat(e.durable()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"activeAgents", "pendingTasks", "messagesPerSecond", "memoryOpsPerSecond"})
        void everyRateIsRequired(String field) {
            String fields = java.util.Arrays.stream(VALID.split(","))
                    .filter(f -> !f.startsWith("\"" + field + "\""))
                    .collect(java.util.stream.Collectors.joining(","));
            assertThat(rejected("{\"type\":\"metrics:update\"," + fields + "}", field)).contains("required");
        }

        @Test
        void countsMustBeWholeAndNotNegative() {
            rejected("{\"type\":\"metrics:update\"," + VALID.replace("\"activeAgents\":3", "\"activeAgents\":-1") + "}", "activeAgents");
            rejected("{\"type\":\"metrics:update\"," + VALID.replace("\"pendingTasks\":2", "\"pendingTasks\":2.5") + "}", "pendingTasks");
            rejected("{\"type\":\"metrics:update\"," + VALID.replace("\"messagesPerSecond\":1.5", "\"messagesPerSecond\":\"1.5\"") + "}",
                    "messagesPerSecond");
        }
    }
}

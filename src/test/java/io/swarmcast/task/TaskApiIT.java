package io.swarmcast.task;

import io.swarmcast.support.ChannelWatch;
import io.swarmcast.support.Http;
import io.swarmcast.support.Rest;
import io.swarmcast.support.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static io.swarmcast.support.Rest.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The task orchestrator's REST API end to end: every lifecycle step changes what {@code GET} shows and raises
 * exactly one {@code task:update} on the tasks channel; a step the current state forbids is a 409 naming that
 * state, changes nothing and raises nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TaskApiIT {

    @LocalServerPort
    int port;

    private TestClient client;
    private ChannelWatch tasks;
    private ChannelWatch agents;

    @BeforeEach
    void subscribe() {
        client = TestClient.connectWelcomed(port);
        client.subscribe("tasks", "agents");
        tasks = new ChannelWatch(client, "tasks");
        agents = new ChannelWatch(client, "agents");
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void createMakesAPendingTaskAndRaisesOneTaskUpdate() {
        String id = Rest.unique("task");
        int mark = tasks.mark();

        Http.Response created = Rest.post(port, "/api/tasks",
                object("id", id, "description", "Write the parser", "type", "coding", "priority", "high"));

        assertThat(created.status()).isEqualTo(201);
        JsonNode stored = Rest.expect(Http.get(port, "/api/tasks/" + id), 200).json();
        assertThat(stored.path("status").asString()).isEqualTo("pending");
        assertThat(stored.path("description").asString()).isEqualTo("Write the parser");
        assertThat(stored.path("createdAt").asLong()).isPositive();
        assertThat(ids(Http.get(port, "/api/tasks?status=pending").json())).contains(id);
        assertThat(ids(Http.get(port, "/api/tasks?status=running").json())).doesNotContain(id);

        JsonNode event = tasks.exactlyOneSince(mark);
        assertThat(event.path("type").asString()).isEqualTo("task:update");
        assertThat(event.path("event").asString()).isEqualTo("task:update");
        assertThat(event.path("channel").asString()).isEqualTo("tasks");
        assertThat(event.path("id").asString()).isEqualTo("evt-" + event.path("seq").asLong());
        assertThat(event.path("taskId").asString()).isEqualTo(id);
        assertThat(event.path("status").asString()).isEqualTo("pending");
        assertThat(event.path("description").asString()).isEqualTo("Write the parser");
        assertThat(event.has("agentId")).isFalse();
        assertThat(event.has("startTime")).isFalse();
        JsonNode data = event.path("data");
        assertThat(data.path("id").asString()).isEqualTo(id);
        assertThat(data.path("status").asString()).isEqualTo("pending");
        assertThat(data.path("description").asString()).isEqualTo("Write the parser");
        assertThat(data.path("type").asString()).isEqualTo("coding");
        assertThat(data.path("priority").asString()).isEqualTo("high");
        assertThat(data.path("createdAt").asLong()).isEqualTo(stored.path("createdAt").asLong());
    }

    @Test
    void aTaskRunsItsWholeLifecycleWithOneEventPerStep() {
        String agent = Rest.spawnAgent(port, Rest.unique("coder"), "Coder", "coder");
        String id = Rest.createTask(port, Rest.unique("task"), "Implement the feature");
        awaitTask(id, "pending");

        // assign: the task is assigned, and the agent busy with it
        int mark = tasks.mark();
        int agentMark = agents.mark();
        Rest.taskCommand(port, id, "assign", object("agentId", agent));
        JsonNode task = Http.get(port, "/api/tasks/" + id).json();
        assertThat(task.path("status").asString()).isEqualTo("assigned");
        assertThat(task.path("assignedAgent").asString()).isEqualTo(agent);
        JsonNode busy = Http.get(port, "/api/agents/" + agent).json();
        assertThat(busy.path("status").asString()).isEqualTo("busy");
        assertThat(busy.path("currentTask").asString()).isEqualTo(id);
        JsonNode assigned = tasks.exactlyOneSince(mark);
        assertThat(assigned.path("status").asString()).isEqualTo("assigned");
        assertThat(assigned.path("agentId").asString()).isEqualTo(agent);
        assertThat(assigned.path("data").path("assignedAgent").asString()).isEqualTo(agent);
        JsonNode agentBusy = agents.exactlyOneSince(agentMark);
        assertThat(agentBusy.path("status").asString()).isEqualTo("busy");
        assertThat(agentBusy.path("task").asString()).isEqualTo(id);

        // start: running, progress 0, start time recorded
        mark = tasks.mark();
        long beforeStart = System.currentTimeMillis();
        Rest.taskCommand(port, id, "start", object());
        task = Http.get(port, "/api/tasks/" + id).json();
        assertThat(task.path("status").asString()).isEqualTo("running");
        assertThat(task.path("progress").asInt()).isZero();
        assertThat(task.path("startTime").asLong()).isGreaterThanOrEqualTo(beforeStart);
        JsonNode started = tasks.exactlyOneSince(mark);
        assertThat(started.path("status").asString()).isEqualTo("running");
        assertThat(started.path("progress").asInt()).isZero();
        assertThat(started.path("startTime").asLong()).isEqualTo(task.path("startTime").asLong());
        assertThat(started.path("data").path("startedAt").asLong()).isEqualTo(task.path("startTime").asLong());

        // progress
        mark = tasks.mark();
        Rest.taskCommand(port, id, "progress", object("progress", 40));
        assertThat(Http.get(port, "/api/tasks/" + id).json().path("progress").asInt()).isEqualTo(40);
        JsonNode progressed = tasks.exactlyOneSince(mark);
        assertThat(progressed.path("status").asString()).isEqualTo("running");
        assertThat(progressed.path("progress").asInt()).isEqualTo(40);
        assertThat(progressed.path("data").path("progress").asInt()).isEqualTo(40);

        // complete: 100 %, end time, the agent idle again and a task counted
        mark = tasks.mark();
        agentMark = agents.mark();
        Rest.taskCommand(port, id, "complete", object());
        task = Http.get(port, "/api/tasks/" + id).json();
        assertThat(task.path("status").asString()).isEqualTo("completed");
        assertThat(task.path("progress").asInt()).isEqualTo(100);
        assertThat(task.path("endTime").asLong()).isGreaterThanOrEqualTo(task.path("startTime").asLong());
        JsonNode completed = tasks.exactlyOneSince(mark);
        assertThat(completed.path("status").asString()).isEqualTo("completed");
        assertThat(completed.path("progress").asInt()).isEqualTo(100);
        assertThat(completed.path("endTime").asLong()).isEqualTo(task.path("endTime").asLong());
        assertThat(completed.path("data").path("completedAt").asLong()).isEqualTo(task.path("endTime").asLong());
        JsonNode idle = Http.get(port, "/api/agents/" + agent).json();
        assertThat(idle.path("status").asString()).isEqualTo("idle");
        assertThat(idle.path("currentTask").isNull()).isTrue();
        assertThat(idle.path("metrics").path("tasksCompleted").asLong()).isEqualTo(1);
        JsonNode agentIdle = agents.exactlyOneSince(agentMark);
        assertThat(agentIdle.path("status").asString()).isEqualTo("idle");
        assertThat(agentIdle.path("data").path("metrics").path("tasksCompleted").asLong()).isEqualTo(1);

        // a finished task stays readable and, within the retention time, in the active set
        assertThat(ids(Http.get(port, "/api/tasks").json())).contains(id);
        assertThat(ids(Http.get(port, "/api/tasks?all=true&status=completed").json())).contains(id);
    }

    @Test
    void failRecordsTheErrorAndCountsAFailedTask() {
        String agent = Rest.spawnAgent(port, Rest.unique("tester"), "Tester", "tester");
        String id = Rest.createTask(port, Rest.unique("task"), "Run the suite");
        Rest.taskCommand(port, id, "assign", object("agentId", agent));
        Rest.taskCommand(port, id, "start", object());
        awaitTask(id, "running");
        int mark = tasks.mark();

        Rest.taskCommand(port, id, "fail", object("error", "suite timed out"));

        JsonNode task = Http.get(port, "/api/tasks/" + id).json();
        assertThat(task.path("status").asString()).isEqualTo("failed");
        assertThat(task.path("error").asString()).isEqualTo("suite timed out");
        assertThat(task.path("endTime").asLong()).isPositive();
        JsonNode failed = tasks.exactlyOneSince(mark);
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("error").asString()).isEqualTo("suite timed out");
        assertThat(failed.path("data").path("error").asString()).isEqualTo("suite timed out");
        JsonNode agentNow = Http.get(port, "/api/agents/" + agent).json();
        assertThat(agentNow.path("metrics").path("tasksFailed").asLong()).isEqualTo(1);
        assertThat(agentNow.path("status").asString()).isEqualTo("idle");
    }

    @Test
    void aPendingTaskCanFailToo() {
        String id = Rest.createTask(port, Rest.unique("task"), "Never started");
        awaitTask(id, "pending");
        int mark = tasks.mark();

        Rest.taskCommand(port, id, "fail", object("error", "cancelled by operator"));

        assertThat(Http.get(port, "/api/tasks/" + id).json().path("status").asString()).isEqualTo("failed");
        assertThat(tasks.exactlyOneSince(mark).path("status").asString()).isEqualTo("failed");
    }

    @Test
    void illegalTransitionsAre409NamingTheCurrentStateAndEmitNothing() {
        String agent = Rest.spawnAgent(port, Rest.unique("coder"), "Coder", "coder");
        String pending = Rest.createTask(port, Rest.unique("task"), "pending one");
        String assigned = Rest.createTask(port, Rest.unique("task"), "assigned one");
        Rest.taskCommand(port, assigned, "assign", object("agentId", agent));
        String done = Rest.createTask(port, Rest.unique("task"), "done one");
        String other = Rest.spawnAgent(port, Rest.unique("coder"), "Other", "coder");
        Rest.taskCommand(port, done, "assign", object("agentId", other));
        Rest.taskCommand(port, done, "start", object());
        Rest.taskCommand(port, done, "complete", object());
        awaitTask(done, "completed");

        assertConflict(() -> Rest.post(port, "/api/tasks/" + pending + "/complete", object()), pending, "pending");
        assertConflict(() -> Rest.post(port, "/api/tasks/" + pending + "/start", object()), pending, "pending");
        assertConflict(() -> Rest.post(port, "/api/tasks/" + pending + "/progress", object("progress", 10)), pending, "pending");
        assertConflict(() -> Rest.post(port, "/api/tasks/" + assigned + "/assign", object("agentId", agent)), assigned, "assigned");
        assertConflict(() -> Rest.post(port, "/api/tasks/" + assigned + "/complete", object()), assigned, "assigned");
        assertConflict(() -> Rest.post(port, "/api/tasks/" + done + "/start", object()), done, "completed");
        assertConflict(() -> Rest.post(port, "/api/tasks/" + done + "/fail", object("error", "late")), done, "completed");
        assertConflict(() -> Rest.post(port, "/api/tasks/" + done + "/assign", object("agentId", agent)), done, "completed");

        assertThat(Http.get(port, "/api/tasks/" + pending).json().path("status").asString()).isEqualTo("pending");
        assertThat(Http.get(port, "/api/tasks/" + assigned).json().path("status").asString()).isEqualTo("assigned");
        assertThat(Http.get(port, "/api/tasks/" + done).json().path("status").asString()).isEqualTo("completed");
    }

    @Test
    void assigningToAStoppedAgentIs409AndChangesNeitherTaskNorAgent() {
        String agent = Rest.spawnAgent(port, Rest.unique("coder"), "Coder", "coder");
        Rest.expect(Rest.delete(port, "/api/agents/" + agent), 200);
        String id = Rest.createTask(port, Rest.unique("task"), "orphan");
        awaitTask(id, "pending");
        long seq = Rest.newestSeq(port);
        int mark = tasks.mark();
        int agentMark = agents.mark();

        Http.Response refused = Rest.post(port, "/api/tasks/" + id + "/assign", object("agentId", agent));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("error").asString()).contains(agent).contains("stopped");
        assertThat(Http.get(port, "/api/tasks/" + id).json().path("status").asString()).isEqualTo("pending");
        assertThat(Http.get(port, "/api/agents/" + agent).json().path("status").asString()).isEqualTo("stopped");
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        tasks.noneSince(mark);
        agents.noneSince(agentMark);
    }

    @Test
    void unknownIdsAre404WithAClearMessage() {
        String ghost = Rest.unique("ghost-task");
        String real = Rest.createTask(port, Rest.unique("task"), "real");
        awaitTask(real, "pending");
        long seq = Rest.newestSeq(port);
        int mark = tasks.mark();

        for (Supplier<Http.Response> call : List.<Supplier<Http.Response>>of(
                () -> Http.get(port, "/api/tasks/" + ghost),
                () -> Rest.post(port, "/api/tasks/" + ghost + "/start", object()),
                () -> Rest.post(port, "/api/tasks/" + ghost + "/complete", object()),
                () -> Rest.post(port, "/api/tasks/" + ghost + "/progress", object("progress", 5)),
                () -> Rest.post(port, "/api/tasks/" + ghost + "/fail", object("error", "x")),
                () -> Rest.post(port, "/api/tasks/" + ghost + "/assign", object("agentId", "nobody")))) {
            Http.Response response = call.get();
            assertThat(response.status()).as(response.body()).isEqualTo(404);
            assertThat(response.json().path("error").asString()).isEqualTo("task '" + ghost + "' not found");
        }
        String nobody = Rest.unique("nobody");
        Http.Response noAgent = Rest.post(port, "/api/tasks/" + real + "/assign", object("agentId", nobody));
        assertThat(noAgent.status()).isEqualTo(404);
        assertThat(noAgent.json().path("error").asString()).isEqualTo("agent '" + nobody + "' not found");
        assertThat(Http.get(port, "/api/tasks/" + real).json().path("status").asString()).isEqualTo("pending");

        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        tasks.noneSince(mark);
    }

    @Test
    void invalidBodiesAre400NamingTheField() {
        String agent = Rest.spawnAgent(port, Rest.unique("coder"), "Coder", "coder");
        String id = Rest.createTask(port, Rest.unique("task"), "to be run");
        Rest.taskCommand(port, id, "assign", object("agentId", agent));
        Rest.taskCommand(port, id, "start", object());
        Rest.taskCommand(port, id, "progress", object("progress", 20));
        awaitTask(id, "running");
        long seq = Rest.newestSeq(port);
        int mark = tasks.mark();

        assertBadRequest(Rest.post(port, "/api/tasks", object("type", "coding")), "description");
        assertBadRequest(Rest.post(port, "/api/tasks", object("description", " ")), "description");
        Http.Response tooFar = Rest.post(port, "/api/tasks/" + id + "/progress", object("progress", 150));
        assertBadRequest(tooFar, "progress");
        assertThat(tooFar.json().path("error").asString()).contains("0").contains("100").contains("150");
        assertBadRequest(Rest.post(port, "/api/tasks/" + id + "/progress", object("progress", -1)), "progress");
        assertBadRequest(Rest.post(port, "/api/tasks/" + id + "/progress", object("progress", 33.5)), "progress");
        assertBadRequest(Rest.post(port, "/api/tasks/" + id + "/progress", object()), "progress");
        assertBadRequest(Rest.post(port, "/api/tasks/" + id + "/progress", object("progress", "half")), "progress");
        assertBadRequest(Rest.post(port, "/api/tasks/" + id + "/fail", object()), "error");
        assertBadRequest(Rest.post(port, "/api/tasks/" + id + "/assign", object()), "agentId");
        Http.Response badFilter = Http.get(port, "/api/tasks?status=done");
        assertBadRequest(badFilter, "status");
        assertThat(badFilter.json().path("error").asString()).contains("pending, assigned, running, completed, failed");
        assertBadRequest(Http.get(port, "/api/tasks?all=maybe"), "all");

        JsonNode unchanged = Http.get(port, "/api/tasks/" + id).json();
        assertThat(unchanged.path("status").asString()).isEqualTo("running");
        assertThat(unchanged.path("progress").asInt()).isEqualTo(20);
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        tasks.noneSince(mark);
    }

    @Test
    void creatingAnExistingIdIsAConflict() {
        String id = Rest.createTask(port, Rest.unique("task"), "first");
        awaitTask(id, "pending");
        int mark = tasks.mark();

        Http.Response refused = Rest.post(port, "/api/tasks", object("id", id, "description", "second"));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("error").asString()).contains(id).contains("already exists");
        assertThat(Http.get(port, "/api/tasks/" + id).json().path("description").asString()).isEqualTo("first");
        tasks.noneSince(mark);
    }

    private void assertConflict(Supplier<Http.Response> command, String taskId, String currentState) {
        long seq = Rest.newestSeq(port);
        int mark = tasks.mark();
        Http.Response response = command.get();
        assertThat(response.status()).as(response.body()).isEqualTo(409);
        String error = response.json().path("error").asString();
        assertThat(error).contains("task '" + taskId + "'").contains("it is " + currentState);
        assertThat(Rest.newestSeq(port)).isEqualTo(seq);
        tasks.noneSince(mark);
    }

    private static void assertBadRequest(Http.Response response, String field) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("field").asString()).as(response.body()).isEqualTo(field);
        assertThat(response.json().path("error").asString()).as(response.body()).contains(field);
    }

    /** Waits until the client saw the task reach the status, so later marks start after the setup's events. */
    private void awaitTask(String id, String status) {
        client.awaitFrame(frame -> id.equals(frame.path("taskId").asString()) && status.equals(frame.path("status").asString()));
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        for (JsonNode node : array) {
            ids.add(node.path("id").asString());
        }
        return ids;
    }
}

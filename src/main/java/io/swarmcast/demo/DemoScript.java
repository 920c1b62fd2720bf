package io.swarmcast.demo;

import io.swarmcast.agent.AgentService;
import io.swarmcast.agent.AgentUpdate;
import io.swarmcast.domain.ConflictException;
import io.swarmcast.domain.NotFoundException;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.MessageType;
import io.swarmcast.event.Topology;
import io.swarmcast.memory.MemoryService;
import io.swarmcast.message.Message;
import io.swarmcast.message.MessageBus;
import io.swarmcast.swarm.SwarmCoordinator;
import io.swarmcast.task.TaskService;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The story of the demo swarm, one step at a time, played through the real domain services: tasks are created,
 * assigned (with a {@code task} message from the coordinator), started, worked on and completed (with a
 * {@code response} and a result in memory) or now and then failed; agents ask each other questions and answer
 * them, share knowledge in memory, read it back (the read cache makes repeated reads hits) and search it; their
 * load changes; once in a while a worker crashes into {@code error}, failing its task, and recovers a few steps
 * later; every {@code topologyEvery} steps the swarm is rewired (hierarchical, mesh, adaptive, in turn).
 * <p>
 * Deterministic: every decision comes from one {@link Random} and from the script's own model of the swarm,
 * never from the clock or from what the services answer, so one seed always plays the same story, whatever the
 * tick. The model moves before the services are called, so a service that refuses (someone stopped a demo agent
 * through the REST API, say) costs one skipped step, never a stuck story. Not thread-safe: one thread plays it.
 */
final class DemoScript {

    /** Steps between topology changes: a minute at the default tick of 400 ms. */
    static final int TOPOLOGY_EVERY = 150;
    /**
     * The most events one step causes, what the demo reserves with admission control: the worst is a crash,
     * the worker's status and its node (2), its task failed with the agent's counters and node (3), the error
     * message (1).
     */
    static final int MAX_EVENTS_PER_STEP = 8;
    static final String KNOWLEDGE = "knowledge";
    static final String RESULTS = "results";

    private static final List<Topology> TOPOLOGIES = List.of(Topology.HIERARCHICAL, Topology.MESH, Topology.ADAPTIVE);
    /** Chance, in a thousand, that a step of work on a task fails it. */
    private static final int FAILURE_PER_MILLE = 30;
    /** Steps before the first crash, so a new viewer first sees the swarm working. */
    private static final int CALM_START = 20;

    private final AgentService agents;
    private final TaskService tasks;
    private final MessageBus messages;
    private final MemoryService memory;
    private final SwarmCoordinator swarm;
    private final Random random;
    private final int workerCount;
    private final int topologyEvery;

    private Member coordinator;
    private final List<Member> workers = new ArrayList<>();
    /** Unfinished tasks, oldest first. */
    private final List<Job> jobs = new ArrayList<>();
    private final List<Question> openQuestions = new ArrayList<>();
    /** Knowledge keys written so far, in the order first written. */
    private final List<String> knowledge = new ArrayList<>();
    private long tick;
    private int taskCounter;
    private int topologyIndex;
    private boolean begun;

    DemoScript(AgentService agents, TaskService tasks, MessageBus messages, MemoryService memory,
               SwarmCoordinator swarm, long seed, int workerCount, int topologyEvery) {
        this.agents = agents;
        this.tasks = tasks;
        this.messages = messages;
        this.memory = memory;
        this.swarm = swarm;
        this.random = new Random(seed);
        this.workerCount = workerCount;
        this.topologyEvery = topologyEvery;
    }

    /** Starts the swarm: a coordinator and the workers, hierarchical. Returns what it did. */
    /** The most events {@link #begin} causes: every member spawned, the topology, then each member's load and node. */
    static int maxEventsToBegin(int workers) {
        int members = workers + 1;
        return members + 1 + 2 * members;
    }

    String begin() {
        if (begun) {
            throw new IllegalStateException("the demo swarm has begun already");
        }
        coordinator = new Member("coordinator-" + DemoNames.COORDINATOR_NAME.toLowerCase(Locale.ROOT),
                DemoNames.COORDINATOR_NAME, "coordinator");
        List<SwarmCoordinator.AgentSpec> specs = new ArrayList<>();
        specs.add(coordinator.spec());
        for (int i = 0; i < workerCount; i++) {
            int names = DemoNames.WORKER_NAMES.size();
            String name = DemoNames.WORKER_NAMES.get(i % names) + (i < names ? "" : " " + (i / names + 1));
            String type = DemoNames.WORKER_TYPES.get(i % DemoNames.WORKER_TYPES.size());
            Member worker = new Member(type + "-" + name.toLowerCase(Locale.ROOT).replace(' ', '-'), name, type);
            workers.add(worker);
            specs.add(worker.spec());
        }
        swarm.init(TOPOLOGIES.get(0), specs, specs.size());
        for (Member member : members(m -> true)) {
            member.cpu = 3 + random.nextInt(10);
            member.memory = 128 + random.nextInt(160);
            agents.update(member.id, load(member));
        }
        begun = true;
        return "#0 init " + TOPOLOGIES.get(0).wireName() + ": " + coordinator.id + " and "
                + workers.stream().map(m -> m.id).toList();
    }

    /** The id of the swarm's coordinator, once the swarm has begun. */
    String coordinatorId() {
        return coordinator == null ? null : coordinator.id;
    }

    /** Plays one step and says what it did, e.g. {@code #12 assign task-003 to coder-ada}. */
    String step() {
        if (!begun) {
            throw new IllegalStateException("begin() first");
        }
        tick++;
        String action;
        try {
            action = next();
        } catch (ConflictException | NotFoundException e) {
            action = "skipped: " + e.getMessage();
        }
        return "#" + tick + " " + action;
    }

    private String next() {
        if (tick % topologyEvery == 0) {
            return rewire();
        }
        for (Member worker : workers) {
            if (worker.downUntil > 0 && worker.downUntil <= tick) {
                return recover(worker);
            }
        }
        List<Choice> choices = new ArrayList<>();
        if (jobs.size() < workers.size() + 2) {
            choices.add(new Choice(3, this::createTask));
        }
        if (jobIn(Phase.PENDING) != null && !members(Member::available).isEmpty()) {
            choices.add(new Choice(4, this::assignTask));
        }
        if (jobIn(Phase.ASSIGNED) != null) {
            choices.add(new Choice(4, this::startTask));
        }
        if (jobIn(Phase.RUNNING) != null) {
            choices.add(new Choice(7, this::work));
        }
        choices.add(new Choice(3, this::talk));
        if (answerable() != null) {
            choices.add(new Choice(2, this::answer));
        }
        choices.add(new Choice(5, this::useMemory));
        choices.add(new Choice(3, this::changeLoad));
        if (tick > CALM_START && workers.stream().allMatch(Member::up)) {
            choices.add(new Choice(1, this::crash));
        }
        int total = choices.stream().mapToInt(Choice::weight).sum();
        int roll = random.nextInt(total);
        for (Choice choice : choices) {
            roll -= choice.weight();
            if (roll < 0) {
                return choice.action().get();
            }
        }
        throw new IllegalStateException("no choice for roll");
    }

    private String createTask() {
        String type = pick(workers).type;
        String description = pick(DemoNames.TASKS.get(type));
        String priority = pick(DemoNames.PRIORITIES);
        Job job = new Job(String.format(Locale.ROOT, "task-%03d", ++taskCounter), description, type, priority);
        jobs.add(job);
        tasks.create(job.id, description, type, priority);
        return "create " + job.id + " (" + type + ", " + priority + "): " + description;
    }

    /** The oldest pending task goes to a free worker of its type if there is one, else to any free worker. */
    private String assignTask() {
        Job job = jobIn(Phase.PENDING);
        List<Member> free = members(Member::available);
        List<Member> matching = free.stream().filter(m -> m.type.equals(job.type)).toList();
        Member worker = pick(matching.isEmpty() ? free : matching);
        job.phase = Phase.ASSIGNED;
        job.worker = worker;
        worker.task = job.id;
        tasks.assign(job.id, worker.id);
        messages.send(coordinator.id, worker.id, MessageType.TASK,
                json("taskId", job.id, "instruction", job.description, "priority", job.priority));
        return "assign " + job.id + " to " + worker.id;
    }

    private String startTask() {
        Job job = pick(jobsIn(Phase.ASSIGNED));
        job.phase = Phase.RUNNING;
        job.progress = 0;
        tasks.start(job.id);
        return "start " + job.id;
    }

    private String work() {
        Job job = pick(jobsIn(Phase.RUNNING));
        if (random.nextInt(1000) < FAILURE_PER_MILLE) {
            return failTask(job, pick(DemoNames.TASK_ERRORS), job.worker);
        }
        job.progress = Math.min(100, job.progress + 8 + random.nextInt(25));
        if (job.progress == 100) {
            return completeTask(job);
        }
        tasks.progress(job.id, job.progress);
        return "progress " + job.id + " " + job.progress + "%";
    }

    private String completeTask(Job job) {
        Member worker = finish(job);
        tasks.complete(job.id);
        messages.send(worker.id, coordinator.id, MessageType.RESPONSE,
                json("taskId", job.id, "status", "done", "summary", "Done: " + job.description));
        memory.put(RESULTS, job.id, json("description", job.description, "agent", worker.id, "outcome", "completed"),
                null, worker.id);
        return "complete " + job.id + " by " + worker.id;
    }

    /** Fails the task; {@code reporter} tells the coordinator (or, when it is the coordinator, everyone). */
    private String failTask(Job job, String error, Member reporter) {
        Member worker = finish(job);
        tasks.fail(job.id, error);
        String target = reporter == coordinator ? Message.EVERYONE : coordinator.id;
        messages.send(reporter.id, target, MessageType.ERROR, json("taskId", job.id, "agent", worker.id, "error", error));
        return "fail " + job.id + " of " + worker.id + ": " + error;
    }

    private Member finish(Job job) {
        jobs.remove(job);
        job.worker.task = null;
        return job.worker;
    }

    /** A question from one agent to another; most are answered some steps later. */
    private String talk() {
        if (random.nextInt(5) == 0) {
            String announcement = pick(DemoNames.ANNOUNCEMENTS);
            messages.send(coordinator.id, Message.EVERYONE, MessageType.BROADCAST, json("announcement", announcement));
            return "broadcast from " + coordinator.id + ": " + announcement;
        }
        Member asker = pick(members(Member::up));
        List<Member> others = members(m -> m.up() && m != asker);
        Member answerer = pick(others);
        int index = random.nextInt(DemoNames.QUESTIONS.size());
        openQuestions.add(new Question(asker, answerer, index));
        String question = DemoNames.QUESTIONS.get(index)[0];
        messages.send(asker.id, answerer.id, MessageType.QUERY,
                json("question", question, "context", asker.task != null ? asker.task : "general"));
        return "query " + asker.id + " -> " + answerer.id + ": " + question;
    }

    private String answer() {
        Question question = answerable();
        openQuestions.remove(question);
        String[] text = DemoNames.QUESTIONS.get(question.index());
        messages.send(question.answerer().id, question.asker().id, MessageType.RESPONSE,
                json("inReplyTo", text[0], "answer", text[1]));
        return "response " + question.answerer().id + " -> " + question.asker().id + ": " + text[1];
    }

    /** The oldest open question whose answerer is up, or null. */
    private Question answerable() {
        return openQuestions.stream().filter(q -> q.answerer().up()).findFirst().orElse(null);
    }

    private String useMemory() {
        Member agent = pick(members(Member::up));
        int roll = random.nextInt(100);
        if (roll < 35 || knowledge.isEmpty()) {
            String[] entry = pick(DemoNames.KNOWLEDGE);
            boolean known = knowledge.contains(entry[0]);
            if (!known) {
                knowledge.add(entry[0]);
            }
            double confidence = (60 + random.nextInt(40)) / 100.0;
            ObjectNode value = json("summary", entry[1], "author", agent.id);
            value.put("confidence", confidence);
            memory.put(KNOWLEDGE, entry[0], value, null, agent.id);
            return (known ? "update " : "store ") + KNOWLEDGE + "/" + entry[0] + " by " + agent.id;
        }
        if (roll < 80) {
            String key = random.nextInt(100) < 15 ? pick(DemoNames.MISSING_KEYS) : pick(knowledge);
            memory.retrieve(KNOWLEDGE, key, agent.id);
            return "retrieve " + KNOWLEDGE + "/" + key + " by " + agent.id;
        }
        if (random.nextInt(4) == 0) {
            String type = pick(workers).type;
            memory.search(RESULTS, null, type, agent.id);
            return "search " + RESULTS + " for '" + type + "' by " + agent.id;
        }
        String search = pick(DemoNames.SEARCHES);
        boolean prefix = search.startsWith("prefix:");
        String term = prefix ? search.substring("prefix:".length()) : search;
        memory.search(KNOWLEDGE, prefix ? term : null, prefix ? null : term, agent.id);
        return "search " + KNOWLEDGE + " for " + search + " by " + agent.id;
    }

    /** CPU and memory drift, higher while an agent works on a task. */
    private String changeLoad() {
        Member member = pick(members(Member::up));
        boolean busy = member.task != null;
        int cpu = busy ? 55 + random.nextInt(35) : 4 + random.nextInt(18);
        int memoryMb = busy ? 380 + random.nextInt(400) : 140 + random.nextInt(160);
        member.cpu = Math.round((member.cpu + cpu) * 5) / 10.0;
        member.memory = Math.round((member.memory * 3 + memoryMb) / 4.0);
        agents.update(member.id, load(member));
        return "load " + member.id + " cpu " + member.cpu + "% memory " + member.memory + " MB";
    }

    /** A worker goes to error; its task, if any, fails and the coordinator tells everyone. */
    private String crash() {
        Member victim = pick(workers);
        victim.downUntil = tick + 4 + random.nextInt(8);
        String crash = pick(DemoNames.CRASHES);
        Job job = jobs.stream().filter(j -> j.worker == victim).findFirst().orElse(null);
        agents.update(victim.id, new AgentUpdate(AgentStatus.ERROR, null, null, false, 0.0, victim.memory));
        String failed = "";
        if (job != null) {
            failed = "; " + failTask(job, victim.name + " " + crash, coordinator);
        }
        return "error " + victim.id + ": " + crash + failed;
    }

    private String recover(Member worker) {
        worker.downUntil = 0;
        worker.task = null;
        worker.cpu = 5;
        agents.update(worker.id, new AgentUpdate(AgentStatus.ACTIVE, null, null, true, worker.cpu, worker.memory));
        messages.send(coordinator.id, Message.EVERYONE, MessageType.BROADCAST,
                json("announcement", worker.name + " is back online"));
        return "recover " + worker.id;
    }

    private String rewire() {
        topologyIndex = (topologyIndex + 1) % TOPOLOGIES.size();
        Topology topology = TOPOLOGIES.get(topologyIndex);
        messages.send(coordinator.id, Message.EVERYONE, MessageType.BROADCAST,
                json("announcement", "Rewiring the swarm: " + topology.wireName()));
        swarm.changeTopology(topology);
        return "topology " + topology.wireName();
    }

    private Job jobIn(Phase phase) {
        return jobs.stream().filter(j -> j.phase == phase).findFirst().orElse(null);
    }

    private List<Job> jobsIn(Phase phase) {
        return jobs.stream().filter(j -> j.phase == phase).toList();
    }

    /** The coordinator and the workers that match, in a fixed order. */
    private List<Member> members(Predicate<Member> matching) {
        List<Member> all = new ArrayList<>();
        all.add(coordinator);
        all.addAll(workers);
        return all.stream().filter(matching).toList();
    }

    private <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static AgentUpdate load(Member member) {
        return new AgentUpdate(null, null, null, false, member.cpu, member.memory);
    }

    private static ObjectNode json(String... keysAndValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return node;
    }

    private record Choice(int weight, Supplier<String> action) {
    }

    private record Question(Member asker, Member answerer, int index) {
    }

    private enum Phase { PENDING, ASSIGNED, RUNNING }

    /** An agent as the story sees it. */
    private static final class Member {
        final String id;
        final String name;
        final String type;
        /** The task it works on, or null. */
        String task;
        /** The step at which it recovers from an error; 0 while it is well. */
        long downUntil;
        double cpu;
        double memory;

        Member(String id, String name, String type) {
            this.id = id;
            this.name = name;
            this.type = type;
        }

        boolean up() {
            return downUntil == 0;
        }

        boolean available() {
            return up() && task == null && !"coordinator".equals(type);
        }

        SwarmCoordinator.AgentSpec spec() {
            return new SwarmCoordinator.AgentSpec(id, name, type, DemoNames.CAPABILITIES.getOrDefault(type, List.of()));
        }
    }

    /** An unfinished task as the story sees it. */
    private static final class Job {
        final String id;
        final String description;
        final String type;
        final String priority;
        Phase phase = Phase.PENDING;
        Member worker;
        int progress;

        Job(String id, String description, String type, String priority) {
            this.id = id;
            this.description = description;
            this.type = type;
            this.priority = priority;
        }
    }
}

package io.swarmcast.demo;

import io.swarmcast.SwarmcastProperties;
import io.swarmcast.agent.AgentService;
import io.swarmcast.domain.DomainLock;
import io.swarmcast.event.AgentStatus;
import io.swarmcast.event.TaskStatus;
import io.swarmcast.event.Topology;
import io.swarmcast.memory.MemoryService;
import io.swarmcast.message.MessageBus;
import io.swarmcast.swarm.SwarmCoordinator;
import io.swarmcast.task.TaskService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The demo's story, played step by step against real services without Spring or a scheduler. */
class DemoScriptTest {

    private static final Pattern AGENT_EVENT = Pattern.compile("^#\\d+ (error|recover) ([a-z0-9-]+)");

    /** Fresh services and a script over them. */
    private static final class World {
        final AgentService agents;
        final TaskService tasks;
        final SwarmCoordinator swarm;
        final DemoScript script;

        World(long seed, int workers, int topologyEvery) {
            DomainLock lock = new DomainLock();
            ApplicationEventPublisher ignore = event -> { };
            JsonMapper mapper = JsonMapper.builder().build();
            SwarmcastProperties properties = new Binder(new MapConfigurationPropertySource())
                    .bindOrCreate("swarmcast", SwarmcastProperties.class);
            agents = new AgentService(lock, ignore);
            tasks = new TaskService(lock, agents, ignore, properties);
            swarm = new SwarmCoordinator(lock, agents, ignore);
            script = new DemoScript(agents, tasks, new MessageBus(lock, agents, ignore, mapper),
                    new MemoryService(lock, ignore, mapper), swarm, seed, workers, topologyEvery);
        }

        List<String> play(int steps) {
            List<String> story = new ArrayList<>();
            story.add(script.begin());
            for (int i = 0; i < steps; i++) {
                story.add(script.step());
            }
            return story;
        }
    }

    @Test
    void theSameSeedPlaysTheSameStory() {
        List<String> first = new World(42, 6, DemoScript.TOPOLOGY_EVERY).play(600);
        List<String> second = new World(42, 6, DemoScript.TOPOLOGY_EVERY).play(600);

        assertThat(first).hasSize(601);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void differentSeedsPlayDifferentStories() {
        List<String> first = new World(42, 6, DemoScript.TOPOLOGY_EVERY).play(200);
        List<String> second = new World(7, 6, DemoScript.TOPOLOGY_EVERY).play(200);

        assertThat(second.get(0)).isEqualTo(first.get(0)); // the same crew begins
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void beginsAHierarchicalSwarmOfACoordinatorAndTheWorkers() {
        World world = new World(42, 6, DemoScript.TOPOLOGY_EVERY);
        world.script.begin();

        assertThat(world.agents.list()).hasSize(7);
        assertThat(world.agents.list()).extracting(a -> a.type()).contains("coordinator", "coder", "researcher", "tester");
        assertThat(world.agents.list()).allSatisfy(a -> assertThat(a.metrics().cpu()).isPositive());
        assertThat(world.swarm.current()).hasValueSatisfying(t -> {
            assertThat(t.topology()).isEqualTo(Topology.HIERARCHICAL);
            assertThat(t.edges()).hasSize(6);
        });
    }

    /**
     * A long story contains every kind of action, none of them refused by the services (the story's model and
     * the services agree), and what the story says happened is what the services hold.
     */
    @Test
    void everyKindOfActionHappensAndTheServicesAgreeWithTheStory() {
        World world = new World(42, 6, 100);
        List<String> story = new ArrayList<>();
        story.add(world.script.begin());
        for (int i = 0; i < 1000; i++) {
            String action = world.script.step();
            story.add(action);
            Matcher agentEvent = AGENT_EVENT.matcher(action);
            if (agentEvent.find()) {
                AgentStatus expected = agentEvent.group(1).equals("error") ? AgentStatus.ERROR : AgentStatus.ACTIVE;
                assertThat(world.agents.get(agentEvent.group(2)).status()).as(action).isEqualTo(expected);
            }
        }

        assertThat(story).noneMatch(action -> action.contains("skipped"));
        for (String kind : List.of("create", "assign", "start", "progress", "complete", "fail", "query", "response",
                "broadcast", "store", "update", "retrieve", "search", "load", "error", "recover", "topology")) {
            assertThat(story).as(kind).anyMatch(action -> action.matches("#\\d+ " + kind + " .*"));
        }
        long completed = story.stream().filter(a -> a.matches("#\\d+ complete .*")).count();
        long failed = story.stream().filter(a -> a.matches(".*\\bfail task-.*")).count();
        assertThat(world.tasks.countWithStatus(TaskStatus.COMPLETED)).isEqualTo(completed);
        assertThat(world.tasks.countWithStatus(TaskStatus.FAILED)).isEqualTo(failed);
        assertThat(completed).isGreaterThan(failed);
        // 10 rewirings from hierarchical: mesh, adaptive, hierarchical, ..., mesh.
        assertThat(world.swarm.current()).hasValueSatisfying(t -> assertThat(t.topology()).isEqualTo(Topology.MESH));
    }
}

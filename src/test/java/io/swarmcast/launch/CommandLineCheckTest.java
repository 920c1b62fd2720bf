package io.swarmcast.launch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineCheckTest {

    private static CommandLineCheck.Verdict check(String... args) {
        return CommandLineCheck.check(args, "1.2.3");
    }

    private static String refusal(String... args) {
        CommandLineCheck.Verdict verdict = check(args);
        assertThat(verdict.run()).as("refused: %s", String.join(" ", args)).isFalse();
        assertThat(verdict.exitStatus()).isEqualTo(CommandLineCheck.USAGE_ERROR);
        assertThat(verdict.toStandardError()).isTrue();
        assertThat(verdict.output()).doesNotContain("\n").startsWith("swarmcast: ").endsWith("--help lists the options)");
        return verdict.output();
    }

    @Test
    void letsKnownOptionsAndSpringSettingsThrough() {
        assertThat(check().run()).isTrue();
        assertThat(check("--port=4117", "--host=0.0.0.0", "--demo", "--demo=false", "--swarmcast.history-size=5",
                "--server.shutdown=immediate", "--spring.profiles.active=prod", "--management.server.port=9000",
                "--logging.level.io.swarmcast=debug", "--info.app.owner=me", "--debug", "--port=0").run()).isTrue();
    }

    @Test
    void misspeltOptionsNameTheNearestValidOne() {
        assertThat(refusal("--prot=4117")).contains("unknown option '--prot=4117'", "did you mean --port?");
        assertThat(refusal("-p", "4117")).contains("unknown option '-p'", "did you mean --port?");
        assertThat(refusal("--hots=x")).contains("did you mean --host?");
        assertThat(refusal("--dmeo")).contains("did you mean --demo?");
        assertThat(refusal("--sever.port=1")).contains("did you mean --server.port?");
        assertThat(refusal("--swarmcat.history-size=1")).contains("did you mean --swarmcast.history-size?");
        assertThat(refusal("--compat-port=0")).contains("did you mean --swarmcast.compat-port?");
        assertThat(refusal("--history-size=9")).contains("did you mean --swarmcast.history-size?");
        assertThat(refusal("--zzzzzzzz")).contains("unknown option '--zzzzzzzz'").doesNotContain("did you mean");
    }

    @Test
    void aValueAfterASpaceIsRefusedWithTheFormThatWorks() {
        assertThat(refusal("--port", "4117")).contains("--port needs its value after '=': --port=4117");
        assertThat(refusal("--host", "0.0.0.0")).contains("--host=0.0.0.0");
        assertThat(refusal("--port")).contains("--port needs its value");
        assertThat(refusal("--swarmcast.history-size", "9")).contains("write --swarmcast.history-size=9");
        assertThat(refusal("4117")).contains("unexpected argument '4117'");
        assertThat(refusal("-Dswarmcast.port=1")).contains("JVM option", "before -jar");
    }

    @Test
    void refusesValuesThatCannotBeRight() {
        assertThat(refusal("--port=abc")).contains("--port must be a port number", "'abc'");
        assertThat(refusal("--port=70000")).contains("'70000'");
        assertThat(refusal("--demo=yes")).contains("--demo takes no value");
    }

    @Test
    void helpAndVersionAnswerWithoutStarting() {
        CommandLineCheck.Verdict help = check("--port=1", "--help");
        assertThat(help.run()).isFalse();
        assertThat(help.exitStatus()).isZero();
        assertThat(help.toStandardError()).isFalse();
        assertThat(help.output()).contains("Swarmcast 1.2.3", "--port=N", "--host=H", "--demo", "--swarmcast.compat-port",
                "--swarmcast.log.type", "--swarmcast.auth.viewer-tokens", "--swarmcast.auth.producer-tokens", "--version");
        CommandLineCheck.Verdict version = check("--version");
        assertThat(version.run()).isFalse();
        assertThat(version.exitStatus()).isZero();
        assertThat(version.output()).isEqualTo("Swarmcast 1.2.3");
    }

    @Test
    void distanceCountsASwapAsOneEdit() {
        assertThat(CommandLineCheck.distance("prot", "port")).isEqualTo(1);
        assertThat(CommandLineCheck.distance("port", "port")).isZero();
        assertThat(CommandLineCheck.distance("", "host")).isEqualTo(4);
    }
}

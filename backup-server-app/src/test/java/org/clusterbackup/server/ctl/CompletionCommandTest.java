package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backupctl completion: a script made from backupctl's own commands, which bash really completes with. */
class CompletionCommandTest {
    @TempDir
    Path dir;

    private final CtlRunner ctl = new CtlRunner(Map.of());

    @Test
    void bashCompletesCommandsAndFlags() throws Exception {
        CtlRunner.Result r = ctl.run("completion", "bash");
        assertEquals(0, r.exit(), r.toString());
        Path script = Files.writeString(dir.resolve("backupctl.bash"), r.out());

        assertEquals("register restore run", complete(script, "backupctl", "r"));
        assertEquals("completion", complete(script, "backupctl", "comp"));
        assertEquals("--node", complete(script, "backupctl", "run", "--no"));
        assertEquals("--every", complete(script, "backupctl", "register", "--ev"));
    }

    @Test
    void zshGetsTheSameScriptWhichLoadsBashCompletionThere() {
        CtlRunner.Result zsh = ctl.run("completion", "zsh");
        assertEquals(0, zsh.exit(), zsh.toString());
        assertEquals(ctl.run("completion", "bash").out(), zsh.out());
        assertTrue(zsh.out().contains("bashcompinit"), zsh.out());
    }

    @Test
    void anotherShellIsAUsageError() {
        CtlRunner.Result r = ctl.run("completion", "fish");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("bash, zsh"), r.err());
    }

    /**
     * What bash offers after {@code words}, the last one being the word under the cursor. Bash allows
     * {@code compopt} only while it runs a completion itself, so here it does nothing.
     */
    private String complete(Path script, String... words) throws Exception {
        String program = "source " + script + "\n"
                + "compopt() { :; }\n"
                + "COMP_WORDS=(" + String.join(" ", words) + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE='" + String.join(" ", words) + "'\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_backupctl\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\" | sort | tr '\\n' ' '\n";
        Process bash = new ProcessBuilder(List.of("bash", "-c", program))
                .redirectErrorStream(true)
                .start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), out);
        return out.strip();
    }
}

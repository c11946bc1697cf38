package org.clusterbackup.server.ctl;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Prints a completion script for backupctl's commands and flags, made from backupctl itself.",
            "bash: source <(backupctl completion bash)   zsh: source <(backupctl completion zsh)",
            "Needs no server."
        })
final class CompletionCommand implements Callable<Integer> {
    /** Lower case, as users type them. */
    enum Shell {
        bash,
        zsh
    }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // One script serves both: picocli's bash script loads zsh's bashcompinit when zsh sources it.
        String script = AutoComplete.bash("backupctl", spec.commandLine().getParent());
        PrintWriter out = spec.commandLine().getOut();
        out.print(script);
        out.flush();
        return 0;
    }
}

package org.clusterbackup.server.ctl;

import java.io.IOException;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.security.Role;
import org.clusterbackup.core.security.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
            "Manages operator tokens (admin):",
            "  token create --name NAME --role viewer|operator|admin   prints the new token, once",
            "  token list                                              the active tokens, without values",
            "  token revoke --name NAME                                stops the token at once"
        })
final class TokenCommand extends CtlCommand {
    @Parameters(index = "0", paramLabel = "ACTION", description = "create, list or revoke")
    String action;

    @Option(names = "--name", paramLabel = "NAME", description = "The token's name (create, revoke).")
    String name;

    @Option(names = "--role", paramLabel = "ROLE", description = "viewer, operator or admin (create).")
    String role;

    @Override
    int execute(BackupClient client) throws IOException {
        switch (action) {
            case "create":
                Tokens.checkName(required(name, "--name"));
                Role r = Role.parse(required(role, "--role"));
                SecurityOutput.created(out(), client.createToken(name, r.label()), json());
                return 0;
            case "list":
                SecurityOutput.tokens(out(), client.tokens(), json());
                return 0;
            case "revoke":
                SecurityOutput.revoked(out(), client.revokeToken(Tokens.checkName(required(name, "--name"))), json());
                return 0;
            default:
                throw new InvalidInputException("unknown token action '" + action + "': create, list or revoke");
        }
    }

    private String required(String value, String flag) {
        if (value == null) {
            throw new InvalidInputException("token " + action + " needs " + flag);
        }
        return value;
    }
}

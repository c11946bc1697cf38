import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import org.clusterbackup.server.ctl.CtlMain;

/**
 * Runs one {@code backupctl} command N times in one JVM, each call a new connection (a new TLS context, so a
 * full handshake) and a new request, as N {@code backupctl} processes would make them without N JVM starts.
 * bench/run uses it to bring a server's request path to its steady state (the JIT done with it) before the
 * warm single-file fetches are timed.
 *
 * <p>Run as a single-file program with the server app's jars on the class path: {@code java -cp
 * backup-server-app/target/backup-server-app.jar:backup-server-app/target/lib/* bench/CtlLoop.java N
 * BACKUPCTL-ARGS...}. Standard output of the calls is dropped; the first failing call ends the loop with
 * its exit code.
 */
public final class CtlLoop {
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: CtlLoop N BACKUPCTL-ARGS...");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0]);
        String[] command = Arrays.copyOfRange(args, 1, args.length);
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        for (int i = 0; i < n; i++) {
            int code = CtlMain.commandLine(new CtlMain()).execute(command);
            if (code != 0) {
                System.err.println("CtlLoop: call " + (i + 1) + " of " + n + " exited " + code);
                System.exit(code);
            }
        }
        out.println(n + " calls");
    }
}

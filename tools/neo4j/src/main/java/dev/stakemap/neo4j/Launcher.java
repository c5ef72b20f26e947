package dev.stakemap.neo4j;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Starts a throwaway Neo4j in this JVM with Bolt on 127.0.0.1 and blocks until killed.
 *
 * <p>Why embedded: no Docker engine and no Neo4j package on the machines that run the tests,
 * but Neo4j's own artifacts resolve from Maven Central. Auth is on, with the password from
 * STAKEMAP_NEO4J_PASSWORD, so wrong-password behaviour can be tested for real.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable failure) {
            // Neo4j's own threads are not daemons: without an explicit exit a failed start would
            // leave a JVM that never prints the ready line and never ends.
            failure.printStackTrace();
            System.out.println("stakemap-neo4j failed: " + failure.getMessage());
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("STAKEMAP_NEO4J_PORT", "7687"));
        String password = env.getOrDefault("STAKEMAP_NEO4J_PASSWORD", "stakemap-test");
        Path home = Paths.get(args.length > 0 ? args[0] : "target/neo4j-home").toAbsolutePath();

        long started = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        try {
            dbms.database("system").executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException alreadySet) {
            // A restart on kept data: the password was set on the first start.
            if (!String.valueOf(alreadySet.getMessage()).contains("cannot be the same")) {
                throw alreadySet;
            }
        }
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(60_000);

        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("stakemap-neo4j ready bolt://127.0.0.1:%d neo4j %s in %d ms%n",
                port, org.neo4j.kernel.internal.Version.getNeo4jVersion(), millis);
        System.out.flush();
        Thread.currentThread().join();
    }
}

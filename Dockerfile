# Swarmcast image: build the jar with the Maven wrapper on a Temurin 17 JDK, run it on a Temurin 17 JRE
# as a non-root user with a fixed numeric id (10001), so Kubernetes' runAsNonRoot can verify it.
#
#   docker build -t swarmcast .
#   docker run --rm -p 127.0.0.1:3001:3001 -p 127.0.0.1:3002:3002 swarmcast
#   docker run --rm -p 127.0.0.1:4001:4001 -p 127.0.0.1:4002:4002 -e SWARMCAST_PORT=4001 swarmcast
#   (publish to 127.0.0.1 as above: without tokens the image accepts anyone who reaches the port. To publish on a
#   network, set tokens: -e SWARMCAST_PRODUCER_TOKEN=$(openssl rand -hex 32) -e SWARMCAST_VIEWER_TOKEN=...;
#   see docs/security.md)
#   (arguments after the image name go to the application, e.g. --swarmcast.history-size=50000; set the
#   port with SWARMCAST_PORT rather than --port so the healthcheck follows it)
#
# Configuration: environment variables (SWARMCAST_MAXCONNECTIONS=500, SWARMCAST_LIMITS_SENDBUFFERLIMIT=2MB, ...)
# or an application.yml mounted at /app/application.yml (the working directory), as docker-compose.yml does.

# Base images are pinned to a release (Temurin 17.0.15+6 on Ubuntu 22.04), so a rebuild gets the same JDK;
# move both tags together when updating.

# ---- build ---------------------------------------------------------------------------------------------
FROM eclipse-temurin:17.0.15_6-jdk-jammy AS build
WORKDIR /workspace

# The wrapper and the POM first: dependencies are fetched in their own layer, which is reused until the
# POM changes, so a source edit does not download the world again.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN chmod +x mvnw && ./mvnw -B -q dependency:go-offline

COPY src/ src/
# maven.test.skip: the tests are neither run nor compiled here (CI runs them); only the jar is needed.
RUN ./mvnw -B -q package -Dmaven.test.skip=true

# ---- run -----------------------------------------------------------------------------------------------
FROM eclipse-temurin:17.0.15_6-jre-jammy

# A system user without a login shell or home: the server writes nothing but Tomcat's scratch files in /tmp.
# Numeric ids, fixed, above the range a host's own users take.
RUN groupadd --system --gid 10001 swarmcast \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin swarmcast

WORKDIR /app
COPY --from=build /workspace/target/swarmcast.jar /app/swarmcast.jar

# Listen on every interface of the container (the default in code, localhost, is right only outside one).
ENV SWARMCAST_HOST=0.0.0.0
# Inside a container every bind is "beyond loopback", so without this the server would refuse to start without
# tokens. The container's reach is decided where it is published: 127.0.0.1 only, as docker-compose.yml and the
# examples above do, unless tokens are set (SWARMCAST_PRODUCER_TOKEN, SWARMCAST_VIEWER_TOKEN), which turn
# authentication on whatever this says. The server logs a WARN at startup while it runs without tokens.
ENV SWARMCAST_AUTH_ALLOWANONYMOUS=true
# Size the heap from the container's memory limit; die rather than limp on after an OutOfMemoryError, so
# the restart policy brings up a healthy server. Override JAVA_OPTS to tune.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"

# Numeric, not the name: a runtime can check it is not root without reading /etc/passwd.
USER 10001:10001

# 3001: HTTP and WebSocket. 3002: the Claude Flow CLI compatibility listener (POST /event only).
EXPOSE 3001 3002

# Readiness, not liveness: it turns down while the server is shutting down. The Temurin Ubuntu images ship
# wget and curl; 127.0.0.1 rather than localhost so an IPv6-first lookup cannot miss the IPv4 listener.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD wget -q -O /dev/null "http://127.0.0.1:${SWARMCAST_PORT:-3001}/actuator/health/readiness" || exit 1

# exec: java becomes PID 1 and receives SIGTERM itself, so Spring's graceful shutdown runs (clients get
# their queued frames and a 1001 close). Arguments given to `docker run` are passed on to the application.
# -XX:+ExitOnOutOfMemoryError: out of memory, the JVM exits (and the restart policy starts it again) instead of
# running on with dead threads, answering 500 and ignoring SIGTERM.
ENTRYPOINT ["sh", "-c", "exec java -XX:+ExitOnOutOfMemoryError $JAVA_OPTS -jar /app/swarmcast.jar \"$@\"", "swarmcast"]

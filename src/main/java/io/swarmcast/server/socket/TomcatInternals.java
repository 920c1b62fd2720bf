package io.swarmcast.server.socket;

import jakarta.websocket.Session;
import org.apache.tomcat.util.net.SocketWrapperBase;

import java.lang.reflect.Field;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * The four Tomcat fields the direct path needs, looked up once, at startup, and checked for the types it
 * expects (Tomcat 11.0): a WebSocket session's remote endpoint, the endpoint's socket, its message lock and
 * its "close frame written" flag. {@link #load()} names the first that is missing or changed, so
 * {@code auto} can fall back to the standard path with a reason, and {@code direct} can refuse to start.
 */
final class TomcatInternals {

    private static final String SESSION = "org.apache.tomcat.websocket.WsSession";
    private static final String ENDPOINT_BASE = "org.apache.tomcat.websocket.WsRemoteEndpointImplBase";
    private static final String SERVER_ENDPOINT = "org.apache.tomcat.websocket.server.WsRemoteEndpointImplServer";

    private final Class<?> sessionClass;
    private final Field sessionEndpoint;
    private final Field endpointSocket;
    private final Field endpointLock;
    private final Field endpointClosed;

    private TomcatInternals(Class<?> sessionClass, Field sessionEndpoint, Field endpointSocket, Field endpointLock,
                            Field endpointClosed) {
        this.sessionClass = sessionClass;
        this.sessionEndpoint = sessionEndpoint;
        this.endpointSocket = endpointSocket;
        this.endpointLock = endpointLock;
        this.endpointClosed = endpointClosed;
    }

    /** Finds and checks the fields; throws {@link IllegalStateException} naming what does not match. */
    static TomcatInternals load() {
        Class<?> session = type(SESSION);
        Class<?> endpointBase = type(ENDPOINT_BASE);
        Class<?> serverEndpoint = type(SERVER_ENDPOINT);
        return new TomcatInternals(session,
                field(session, "wsRemoteEndpoint", endpointBase),
                field(serverEndpoint, "socketWrapper", SocketWrapperBase.class),
                field(endpointBase, "messagePartInProgress", Semaphore.class),
                field(endpointBase, "closed", boolean.class));
    }

    /** The direct socket under a Tomcat WebSocket session. */
    TomcatFrameSocket socketOf(Session session, long timeoutMillis, java.util.concurrent.Executor blockingWrites) {
        if (!sessionClass.isInstance(session)) {
            throw new IllegalStateException("the direct frame socket needs a Tomcat WebSocket session, not "
                    + session.getClass().getName() + "; set swarmcast.delivery.socket=standard");
        }
        try {
            Object endpoint = sessionEndpoint.get(session);
            SocketWrapperBase<?> socket = (SocketWrapperBase<?>) endpointSocket.get(endpoint);
            Semaphore lock = (Semaphore) endpointLock.get(endpoint);
            BooleanSupplier closeSent = () -> closed(endpoint);
            return new TomcatFrameSocket(socket, lock, closeSent, timeoutMillis, blockingWrites);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            throw new IllegalStateException("Tomcat's WebSocket endpoint of this session ("
                    + session.getClass().getName() + ") is not the expected one", e);
        }
    }

    private boolean closed(Object endpoint) {
        try {
            return endpointClosed.getBoolean(endpoint);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> type(String name) {
        try {
            return Class.forName(name, false, TomcatInternals.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("Tomcat's " + name + " is not on the class path", e);
        }
    }

    private static Field field(Class<?> owner, String name, Class<?> expectedType) {
        Field field;
        try {
            field = owner.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("Tomcat's " + owner.getName() + "." + name + " was not found", e);
        }
        if (field.getType() != expectedType) {
            throw new IllegalStateException("Tomcat's " + owner.getName() + "." + name + " is a "
                    + field.getType().getName() + ", not a " + expectedType.getName());
        }
        try {
            field.setAccessible(true);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Tomcat's " + owner.getName() + "." + name + " cannot be read: " + e, e);
        }
        return field;
    }
}

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Lambda Java runtime does for one invocation, and nothing more: loads the handler class by name from the
 * class path (the Lambda jar), builds it with its no-arg constructor (configuration from the environment), reads the
 * event JSON with the runtime's serializer for the handler's input type, calls handleRequest and prints the response
 * as JSON. Run by LambdaJarAloneIT as a single-file source program:
 * {@code java -cp <lambda jar>:<serializer jar> Launcher.java <handler class> <event file> <function ARN>}.
 * Uses only the Lambda API (aws-lambda-java-core, in the jar) and the runtime's serializer
 * (aws-lambda-java-serialization, which the runtime brings).
 */
public final class Launcher {

    public static void main(String[] args) throws Exception {
        Class<?> handlerClass = Class.forName(args[0], true, ClassLoader.getSystemClassLoader());
        @SuppressWarnings("unchecked")
        RequestHandler<Object, Object> handler =
                (RequestHandler<Object, Object>) handlerClass.getDeclaredConstructor().newInstance();
        Type[] types = requestHandlerTypes(handlerClass);
        Object event;
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            event = serializer(types[0]).fromJson(in);
        }
        Object response = handler.handleRequest(event, new InvocationContext(args[2]));
        serializer(types[1]).toJson(response, System.out);
        System.out.println();
        System.out.flush();
    }

    /** As the runtime chooses: its own serializers for the events of aws-lambda-java-events, Jackson otherwise. */
    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type) {
        if (type instanceof Class<?> eventClass && LambdaEventSerializers.isLambdaSupportedEvent(eventClass.getName())) {
            return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(eventClass,
                    ClassLoader.getSystemClassLoader());
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    private static Type[] requestHandlerTypes(Class<?> handlerClass) {
        for (Type type : handlerClass.getGenericInterfaces()) {
            if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == RequestHandler.class) {
                return parameterized.getActualTypeArguments();
            }
        }
        throw new IllegalArgumentException(handlerClass + " does not implement RequestHandler<I, O> directly");
    }

    /** The invocation's context as Lambda gives it; the function's ARN names the account. */
    private record InvocationContext(String functionArn) implements Context {

        @Override
        public String getAwsRequestId() {
            return "00000000-0000-0000-0000-000000000001";
        }

        @Override
        public String getLogGroupName() {
            return "/aws/lambda/" + getFunctionName();
        }

        @Override
        public String getLogStreamName() {
            return "launcher";
        }

        @Override
        public String getFunctionName() {
            return functionArn.substring(functionArn.lastIndexOf(':') + 1);
        }

        @Override
        public String getFunctionVersion() {
            return "$LATEST";
        }

        @Override
        public String getInvokedFunctionArn() {
            return functionArn;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 300_000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.err.print(message);
                }

                @Override
                public void log(byte[] message) {
                    System.err.print(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}

package dev.ikr.testbed;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** {@code @ExtendWith(MotoExtension.class)}: the shared moto, reset before every test. */
public final class MotoExtension implements BeforeAllCallback, BeforeEachCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        Moto.shared();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Moto.shared().reset();
    }
}

package dev.ikr.cli;

import dev.ikr.domain.DeliveryTarget;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli: {@code rotate-self --deliver-to KIND:NAME} is read by {@link DeliveryTarget#parse} while the command line
 * is read (exit 2, nothing created). {@code rotate-self} writes to secrets and parameters only.
 */
final class DeliveryTargetConverter implements ITypeConverter<DeliveryTarget> {

    @Override
    public DeliveryTarget convert(String value) {
        DeliveryTarget target;
        try {
            target = DeliveryTarget.parse(value);
        } catch (IllegalArgumentException invalid) {
            throw new TypeConversionException(invalid.getMessage());
        }
        if (target instanceof DeliveryTarget.Function) {
            throw new TypeConversionException("lambda: is a delivery target of the rotator (the function hands"
                    + " users' keys to a Lambda), not of rotate-self: use secretsmanager: or ssm:");
        }
        return target;
    }
}

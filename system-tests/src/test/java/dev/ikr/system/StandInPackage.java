package dev.ikr.system;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A tiny deployment package that stands in for IKR's Lambda jars where the functions never run in Lambda. */
final class StandInPackage {

    private StandInPackage() {
    }

    /** Writes a zip of one Python handler to {@code zip}: uploading the 28 MB jars costs seconds per function. */
    static Path write(Path zip) throws IOException {
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            out.putNextEntry(new ZipEntry("handler.py"));
            out.write("def handler(event, context):\n    return None\n".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return zip;
    }
}

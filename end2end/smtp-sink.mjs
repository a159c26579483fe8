// A local SMTP sink for the browser tests: a real SMTP server (nodemailer's smtp-server) that
// accepts every message and writes it, raw, to $MAIL_DIR/<n>.eml for the tests to read.
import { SMTPServer } from "smtp-server";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.env.MAIL_DIR ?? "mail";
const port = Number(process.env.SMTP_SINK_PORT ?? 2525);
mkdirSync(dir, { recursive: true });
let count = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      count += 1;
      const to = session.envelope.rcptTo.map((r) => r.address).join(",");
      writeFileSync(join(dir, `${String(count).padStart(4, "0")}.eml`), `X-Sink-To: ${to}\r\n` + Buffer.concat(chunks).toString("utf8"));
      callback();
    });
  },
});
server.listen(port, "127.0.0.1", () => console.log(`smtp sink on 127.0.0.1:${port}, writing to ${dir}`));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)));

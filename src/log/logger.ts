/**
 * Structured JSON logs (pino). Secrets given at creation are masked wherever they would appear
 * in a log line, whatever field they end up in.
 */
import pino, { type Logger, type DestinationStream } from 'pino';
import type { LogLevel } from '../config';

export type { Logger } from 'pino';

export function createLogger(options: { level: LogLevel; secrets?: readonly string[]; destination?: DestinationStream; name?: string }): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length >= 4);
  const mask = (line: string) => secrets.reduce((acc, s) => acc.split(s).join('[redacted]'), line);
  const destination: DestinationStream = options.destination ?? pino.destination({ dest: 1, sync: true });
  const stream: DestinationStream = secrets.length ? { write: (line: string) => destination.write(mask(line)) } : destination;
  return pino(
    {
      name: options.name ?? 'smart-industry-advisor',
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: pino.stdSerializers.err },
    },
    stream,
  );
}

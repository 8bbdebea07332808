/**
 * What the process does with errors nobody caught: an unhandled promise rejection is logged with
 * its stack and the bot goes on (one failed turn or timer must not stop every conversation); an
 * uncaught exception leaves the process in an unknown state, so it is logged as fatal and the
 * process stops with exit code 1 for its supervisor to restart it. Neither is ever silent.
 */
import type { Logger } from 'pino';

export function guardProcess(logger: Logger, exit: (code: number) => void = (code) => process.exit(code), proc: NodeJS.EventEmitter = process): void {
  proc.on('unhandledRejection', (reason: unknown) => {
    logger.error({ err: reason, kind: reason instanceof Error ? reason.name : typeof reason }, 'unhandled promise rejection; the bot goes on (this is a bug: report it with this log line)');
  });
  proc.on('uncaughtException', (err: Error, origin: string) => {
    logger.fatal({ err, origin }, 'uncaught exception; stopping (exit code 1) so that the process can be restarted in a known state');
    exit(1);
  });
}

/**
 * Starts the bot: `npm start`. Reads the config, starts the app, says where to talk to it, and
 * shuts down cleanly on SIGTERM / SIGINT.
 */
import v8 from 'node:v8';
import { secretValues } from './config';
import { readConfig } from './cli/common';
import { createLogger } from './log/logger';
import { KnowledgeLoadError } from './knowledge/store';
import { formatProblem } from './knowledge/types';
import { startApp } from './app';
import { guardProcess } from './log/processGuards';

async function main(): Promise<void> {
  const config = readConfig((line) => process.stderr.write(`${line}\n`));
  if (!config) process.exit(2);
  const logger = createLogger({ level: config.logLevel, secrets: secretValues(config) });

  guardProcess(logger);

  let app;
  try {
    app = await startApp(config, logger);
  } catch (e) {
    if (e instanceof KnowledgeLoadError) {
      for (const p of e.problems) process.stderr.write(`${formatProblem(p)}\n`);
      logger.fatal(`cannot start: ${e.message} (fix the files above, or run "npm run kb -- check")`);
      process.exit(1);
    }
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      logger.fatal(`cannot start: port ${config.port} is in use; set PORT to another port`);
      process.exit(1);
    }
    throw e;
  }
  const snap = app.store.current();
  logger.info(
    {
      port: app.port,
      knowledgeVersion: snap.version,
      entries: snap.data.entries.length,
      auth: config.microsoftAppId ? 'Azure Bot (JWT checked)' : 'open (local use)',
      // npm start caps the heap (--max-old-space-size); see README, "Operating".
      heapLimitMb: Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20),
    },
    `Smart Industry Advisor is ready. Bot Framework endpoint: ${app.url}/api/messages (Bot Framework Emulator or Azure Bot); health: ${app.url}/healthz`,
  );

  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    const since = Date.now();
    logger.info({ signal }, 'shutting down: finishing the turns in progress');
    app
      .stop()
      .then(() => {
        logger.info({ ms: Date.now() - since }, 'stopped');
        process.exit(0);
      })
      .catch((err) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  // Anything else that stops the start (the store cannot be opened, …) is fatal: say it, exit 1.
  process.stderr.write(`Cannot start: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});

/**
 * The bare echo bot the benchmark compares ours with: the same stack (restify with bodyParser,
 * botbuilder's CloudAdapter without an app id) and nothing else — it replies with the message
 * text. Its messages per second are the framework's own ceiling on this machine.
 *
 *   node dist/bench/echoBot.js --port 3979 [--host 127.0.0.1]
 *
 * GET /healthz answers 200 once it listens (the benchmark polls it). SIGTERM / SIGINT close it.
 */
import { parseArgs } from 'node:util';
import restify, { type Request, type Response, type Next } from 'restify';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';

export interface EchoBot {
  readonly port: number;
  close(): Promise<void>;
}

export async function startEchoBot(port: number, host = '127.0.0.1'): Promise<EchoBot> {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  adapter.onTurnError = async (context, error) => {
    process.stderr.write(`echo bot: turn failed: ${error.message}\n`);
    await context.sendActivity('error');
  };
  const logic = async (context: TurnContext) => {
    if (context.activity.type === 'message') await context.sendActivity(context.activity.text ?? '');
  };
  const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ mapParams: false }));
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.process(req, res, logic);
  });
  server.get('/healthz', (_req: Request, res: Response, next: Next) => {
    res.json({ status: 'ok' });
    next();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as { port: number };
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections?.();
      }),
  };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '3979' }, host: { type: 'string', default: '127.0.0.1' } } });
  startEchoBot(Number(values.port), values.host).then(
    (bot) => {
      const stop = () => void bot.close().then(() => process.exit(0));
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    },
    (e: Error) => {
      process.stderr.write(`echo bot: cannot start: ${e.message}\n`);
      process.exit(1);
    },
  );
}

/**
 * How the local Direct Line hands activities to the bot: a second CloudAdapter, next to the one
 * behind /api/messages, running the same bot logic. Inbound there is nothing to authenticate
 * (the Direct Line routes checked the user's token); outbound, the bot's replies travel the
 * normal Bot Framework connector protocol to this server's own connector endpoint, signed with
 * a per-process secret that only this adapter and that endpoint know.
 */
import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type Activity, type TurnContext } from 'botbuilder';

/** The credentials factory type ConfigurationBotFrameworkAuthentication takes (botframework-connector's). */
type CredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;
type Credentials = Awaited<ReturnType<CredentialsFactory['createCredentials']>>;

/**
 * A ServiceClientCredentialsFactory: no inbound authentication, and every outbound request of
 * the bot carries `Authorization: Bearer <connector secret>`.
 */
export class ConnectorSecretCredentialsFactory implements CredentialsFactory {
  constructor(private readonly connectorSecret: string) {}

  /** No app id is valid: this adapter never accepts Bot Framework tokens. */
  async isValidAppId(): Promise<boolean> {
    return false;
  }

  /** Inbound requests are authenticated by the Direct Line token before they get here. */
  async isAuthenticationDisabled(): Promise<boolean> {
    return true;
  }

  async createCredentials(): Promise<Credentials> {
    const secret = this.connectorSecret;
    return {
      async signRequest(request) {
        request.headers.set('authorization', `Bearer ${secret}`);
        return request;
      },
    };
  }
}

export interface BotConnectionDeps {
  readonly botLogic: (context: TurnContext) => Promise<void>;
  /** The same handler as the main adapter's: logs, apologises, resets the conversation. */
  readonly onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  readonly connectorSecret: string;
}

export class DirectLineBotConnection {
  private readonly adapter: CloudAdapter;

  constructor(private readonly deps: BotConnectionDeps) {
    const auth = new ConfigurationBotFrameworkAuthentication({}, new ConnectorSecretCredentialsFactory(deps.connectorSecret));
    this.adapter = new CloudAdapter(auth);
    this.adapter.onTurnError = deps.onTurnError;
  }

  /** Runs one turn of the bot for an activity; resolves when the turn (and its replies) are done. */
  async deliver(activity: Activity): Promise<void> {
    await this.adapter.processActivityDirect('', activity, this.deps.botLogic);
  }
}

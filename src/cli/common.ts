/** What the commands share: reading the config, and saying in one line when it is not valid. */
import { ConfigError, loadConfig, type Config } from '../config';

/** The config, or null after writing "Configuration error: …" (the caller exits with 2). */
export function readConfig(writeError: (line: string) => void): Config | null {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      writeError(`Configuration error: ${e.message}`);
      return null;
    }
    throw e;
  }
}

/** Error answers of the Direct Line endpoints, in Direct Line's own shape: {error: {code, message}}. */
import type { Response } from 'restify';

export type ErrorCode = 'BadArgument' | 'Unauthorized' | 'Forbidden' | 'TokenExpired' | 'NotFound' | 'ServiceUnavailable' | 'ServiceError' | 'BadGateway';

export function sendError(res: Response, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(headers)) res.header(k, v);
  res.status(status);
  res.json({ error: { code, message } });
}

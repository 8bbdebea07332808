import { TranscriptLoggerMiddleware } from 'botbuilder';
import { InsightsWriter } from '../../src/insights/insightsWriter';
import { pseudonym } from '../../src/insights/records';
import { RedactingTranscriptLogger, transcriptData } from '../../src/insights/transcripts';
import { MemoryStore } from '../../src/storage/memoryStore';
import { LoopbackAdapter } from '../support/loopbackAdapter';
import { memoryLogger } from '../support/testConfig';

describe('transcripts', () => {
  it('keep a redacted copy of both sides of the conversation, without names or user ids', async () => {
    const store = new MemoryStore();
    const writer = new InsightsWriter({ store, logger: memoryLogger().logger });
    const adapter = new LoopbackAdapter();
    adapter.use(new TranscriptLoggerMiddleware(new RedactingTranscriptLogger(writer)));
    await adapter.turn(
      { conversation: { id: 'conv-7' } as never, from: { id: 'aad-user-123', name: 'Jan de Vries', role: 'user' } as never, text: 'Mijn naam is Jan de Vries, mail jan@devries.nl' },
      async (ctx) => {
        await ctx.sendActivity({ type: 'typing' });
        await ctx.sendActivity({ type: 'trace', name: 'KnowledgeBase', value: { query: 'Mijn naam is Jan de Vries' } });
        await ctx.sendActivity('Dag! Ik kan je helpen met cobots.');
      },
    );
    await writer.close();
    const lines = await store.listRecords('transcript');
    expect(lines.map((l) => l.data)).toEqual([
      { conversation: pseudonym('conv-7'), role: 'user', type: 'message', channel: 'test', text: 'Mijn naam is [name], mail [email]', locale: 'nl-NL' },
      { conversation: pseudonym('conv-7'), role: 'bot', type: 'message', channel: 'test', text: 'Dag! Ik kan je helpen met cobots.', locale: 'nl-NL' },
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/Jan|aad-user-123|conv-7|devries/);
  });

  it('redact card submissions and keep attachments by type only', () => {
    expect(
      transcriptData({
        type: 'message',
        channelId: 'msteams',
        conversation: { id: 'c' } as never,
        from: { id: 'u', role: 'user' } as never,
        value: { sia: 'handoff', email: 'piet@bedrijf.nl', phone: '06-12345678' },
        attachments: [{ contentType: 'image/png', content: 'base64…' }],
      }),
    ).toEqual({ conversation: pseudonym('c'), role: 'user', type: 'message', channel: 'msteams', value: { sia: 'handoff', email: '[email]', phone: '[phone]' }, attachments: ['image/png'] });
    expect(transcriptData({ type: 'message', text: 'Hallo!', from: { id: 'bot-id' } as never, conversation: { id: 'c' } as never })!.role).toBe('bot');
    expect(transcriptData({ type: 'typing' })).toBeNull();
    expect(transcriptData({ type: 'trace', text: 'x' })).toBeNull();
  });
});

import { MemoryStore } from '../../src/storage/memoryStore';
import { storeContract } from './storeContract';

storeContract('MemoryStore', { open: async () => new MemoryStore(), shortLeaseMs: 150 });

/** Every contract of the backend table on `redis` (test/support/backend-table.ts). */
import { describeBackend } from '../support/describe-backend.js';

describeBackend('redis');

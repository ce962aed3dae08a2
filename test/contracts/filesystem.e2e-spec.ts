/** Every contract of the backend table on `filesystem` (test/support/backend-table.ts). */
import { describeBackend } from '../support/describe-backend.js';

describeBackend('filesystem');

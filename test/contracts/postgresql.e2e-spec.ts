/** Every contract of the backend table on `postgresql` (test/support/backend-table.ts). */
import { describeBackend } from '../support/describe-backend.js';

describeBackend('postgresql');

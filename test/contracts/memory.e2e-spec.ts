/** Every contract of the backend table on `memory` (test/support/backend-table.ts). */
import { describeBackend } from '../support/describe-backend.js';

describeBackend('memory');

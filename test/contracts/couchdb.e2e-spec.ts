/** Every contract of the backend table on `couchdb` (test/support/backend-table.ts). */
import { describeBackend } from '../support/describe-backend.js';

describeBackend('couchdb');

import { appointmentsContracts as C } from '../../core/contracts/appointments';
import { action, createFunction } from '../kit/router';
import * as act from '../appointments/actions';
import { book } from '../appointments/booking';
import { listCatalogue, readAvailability } from '../appointments/catalogue';
import { sendDueReminders } from '../appointments/reminders';

/** The `appointments` cloud function (S14): member booking, staff handling, reminder timer. */
export const appointmentsFunction = createFunction({
  name: 'appointments',
  actions: {
    catalogue: action(C.catalogue, listCatalogue),
    availability: action(C.availability, readAvailability),
    book: action(C.book, book),
    mine: action(C.mine, act.mine),
    cancel: action(C.cancel, act.cancel),
    reschedule: action(C.reschedule, act.reschedule),
    recordConsent: action(C.recordConsent, act.recordConsent),
    schedule: action(C.schedule, act.schedule),
    confirm: action(C.confirm, act.confirm),
    checkIn: action(C.checkIn, act.checkIn),
    markNoShow: action(C.markNoShow, act.noShow),
    staffCancel: action(C.staffCancel, act.staffCancel),
    staffReschedule: action(C.staffReschedule, act.staffReschedule),
  },
  timers: {
    reminders: (ctx) => sendDueReminders(ctx),
  },
});

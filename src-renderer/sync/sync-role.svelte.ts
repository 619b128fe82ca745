// Whether this window is the one that sends the device's queue (elected by a Web Lock).
export class SyncRole {
  state = $state<'electing' | 'leader' | 'follower'>('electing');
}

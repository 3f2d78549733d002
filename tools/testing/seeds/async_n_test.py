#! /bin/python3
# SPDX-License-Identifier: GPL-2.0-only
# The test program of the design document "Asynchronous Notifications"
# (the async_n device), copied unchanged apart from these comment lines:
# a reader (F_SETOWN, F_SETFL|FASYNC, SIGIO handler) and a writer process
# on /dev/async_n0. The reader must end by reading "stop reading".
import os
import fcntl
import signal
from multiprocessing import Process
from time import sleep

def read():
    # set variables
    text=""
    somethingToRead = False
    retries = 0
    # the handler will change the flag above
    def sigioHandler(signum, frame):
            print(f"\033[0;32m\nUSERLAND | READER | PID -> {os.getpid()} | got SIGIO from kernelspace\n\033[0;0m")
            nonlocal somethingToRead
            somethingToRead = True

    #set the signal handler (in our case 29 is SIGIO)
    signal.signal(signalnum=29, handler=sigioHandler)

    # open the device and set all fcntl operations
    fd = os.open("/dev/async_n0", os.O_RDONLY)

    fcntl.fcntl(fd, fcntl.F_SETOWN, os.getpid())

    currentFlags = fcntl.fcntl(fd, fcntl.F_GETFL)

    fcntl.fcntl(fd, fcntl.F_SETFL, currentFlags | fcntl.FASYNC)

    # start looping
    while "stop reading" not in text:
        retries+=1
        sleep(1)
        # if nothing to read, just go to sleep again
        if somethingToRead == False:
            print(f"\033[0;32m\nUSERLAND | READER | PID -> {os.getpid()} | Nothing to read yet\n\033[0;0m")
            continue
        # but if we have somehting, read up to 256 bytes
        text = os.read(fd, 256).decode("utf-8")
        print(f"\033[0;32m\nUSERLAND | READER | PID -> {os.getpid()} | Read: {text}\n\033[0;0m")
        # and reset
        somethingToRead = False
    # at this point, we exited the loop
    print(f"\033[0;32m\nUSERLAND | READER | PID -> {os.getpid()} | Got '{text}' I guess I will stop...\n\033[0;0m")
    os.close(fd)

def write():
    sleep(1)
    print(f"\033[1;31m\nUSERLAND | WRITER | PID -> {os.getpid()} | About to start\n\033[0;0m")
    # make the list with the text we want to write
    toWrite = ["hey, how are you?", "stop reading"]
    i = 0
    fd = os.open("/dev/async_n0", os.O_WRONLY)
    # loop one time for each member of the list
    while i < 2:
        # write and sleep
        os.write(fd, toWrite[i].encode("utf-8"))
        i+=1
        sleep(2)
    os.close(fd)

# set up the processes
r = Process(target=read)
w = Process(target=write)

# start them and wait on the weiter, which should take more time to complete than the reader
r.start()
w.start()
w.join()

window.YTD.tweets.part0 = [
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1856991024650240017"
          ],
          "editableUntil": "Thu Nov 14 06:23:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "124"
      ],
      "favorite_count": "2",
      "id_str": "1856991024650240017",
      "truncated": false,
      "retweet_count": "1",
      "id": "1856991024650240017",
      "created_at": "Thu Nov 14 05:23:40 +0000 2024",
      "favorited": false,
      "full_text": "Flooding on Portrack Lane again and someone's nicked the road closed signs. Somebody will end up in the water. @ClevelandPCC",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1856690796369920016"
          ],
          "editableUntil": "Wed Nov 13 10:30:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "135"
      ],
      "favorite_count": "8",
      "id_str": "1856690796369920016",
      "truncated": false,
      "retweet_count": "3",
      "id": "1856690796369920016",
      "created_at": "Wed Nov 13 09:30:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC Kind thanks to the call handler on 101 last night, she was patient with my dad who gets confused. Made a real difference.",
      "lang": "en",
      "in_reply_to_status_id_str": "1856630398392319039",
      "in_reply_to_status_id": "1856630398392319039",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1856390568089600015"
          ],
          "editableUntil": "Tue Nov 12 14:37:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "69"
      ],
      "favorite_count": "1",
      "id_str": "1856390568089600015",
      "truncated": false,
      "retweet_count": "0",
      "id": "1856390568089600015",
      "created_at": "Tue Nov 12 13:37:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC Rubbish. Absolute rubbish from start to finish. Resign.",
      "lang": "en",
      "in_reply_to_status_id_str": "1856345269606399038",
      "in_reply_to_status_id": "1856345269606399038",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1856090339809280014"
          ],
          "editableUntil": "Mon Nov 11 18:44:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "111"
      ],
      "favorite_count": "7",
      "id_str": "1856090339809280014",
      "truncated": false,
      "retweet_count": "2",
      "id": "1856090339809280014",
      "created_at": "Mon Nov 11 17:44:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC Will the Stockton town centre patrols carry on over Christmas? The late-night shoppers need them.",
      "lang": "en",
      "in_reply_to_status_id_str": "1855984643348479037",
      "in_reply_to_status_id": "1855984643348479037",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1855704547727360013"
          ],
          "editableUntil": "Sun Nov 10 17:11:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "140"
      ],
      "favorite_count": "0",
      "id_str": "1855704547727360013",
      "truncated": false,
      "retweet_count": "4",
      "id": "1855704547727360013",
      "created_at": "Sun Nov 10 16:11:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC The lad they charged over the Parliament Road shop fire is obviously guilty, everyone round there saw him. Don't let him walk.",
      "lang": "en",
      "in_reply_to_status_id_str": "1855613950760959036",
      "in_reply_to_status_id": "1855613950760959036",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1855327312025600012"
          ],
          "editableUntil": "Sat Nov 09 16:12:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "156"
      ],
      "favorite_count": "6",
      "id_str": "1855327312025600012",
      "truncated": false,
      "retweet_count": "1",
      "id": "1855327312025600012",
      "created_at": "Sat Nov 09 15:12:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC there's a man on the railway bridge at Thornaby station sitting on the wrong side of the railings. I've rung 999, please get someone here fast",
      "lang": "en",
      "in_reply_to_status_id_str": "1855251814553599035",
      "in_reply_to_status_id": "1855251814553599035",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1855018527365120011"
          ],
          "editableUntil": "Fri Nov 08 19:45:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "130"
      ],
      "favorite_count": "12",
      "id_str": "1855018527365120011",
      "truncated": false,
      "retweet_count": "3",
      "id": "1855018527365120011",
      "created_at": "Fri Nov 08 18:45:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC Thank you for the funding for the youth club on Hardwick. My lad goes twice a week and it's kept him out of trouble.",
      "lang": "en",
      "in_reply_to_status_id_str": "1854958129387519034",
      "in_reply_to_status_id": "1854958129387519034",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1854718299084800010"
          ],
          "editableUntil": "Thu Nov 07 23:52:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "110"
      ],
      "favorite_count": "5",
      "id_str": "1854718299084800010",
      "truncated": false,
      "retweet_count": "0",
      "id": "1854718299084800010",
      "created_at": "Thu Nov 07 22:52:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC Where can I find the figures for how many 999 calls are answered within 10 seconds in Cleveland?",
      "lang": "en",
      "in_reply_to_status_id_str": "1854673000601599033",
      "in_reply_to_status_id": "1854673000601599033",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1854418070804480009"
          ],
          "editableUntil": "Thu Nov 07 03:59:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "113"
      ],
      "favorite_count": "11",
      "id_str": "1854418070804480009",
      "truncated": false,
      "retweet_count": "2",
      "id": "1854418070804480009",
      "created_at": "Thu Nov 07 02:59:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC Get 70% off designer handbags this weekend only!!! Free delivery 👜 www.cheapbagz-outlet.example.com",
      "lang": "en",
      "in_reply_to_status_id_str": "1854312374343679032",
      "in_reply_to_status_id": "1854312374343679032",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1854117087549440007"
          ],
          "editableUntil": "Wed Nov 06 08:03:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "133"
      ],
      "favorite_count": "10",
      "id_str": "1854117087549440007",
      "truncated": false,
      "retweet_count": "1",
      "id": "1854117087549440007",
      "created_at": "Wed Nov 06 07:03:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC The precept going up again while front counters close. The Conservatives will reopen them, simple as. Vote blue in May.",
      "lang": "en",
      "in_reply_to_status_id_str": "1854041590077439030",
      "in_reply_to_status_id": "1854041590077439030",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1853946714920960008"
          ],
          "editableUntil": "Tue Nov 05 20:46:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "143"
      ],
      "favorite_count": "4",
      "id_str": "1853946714920960008",
      "truncated": false,
      "retweet_count": "4",
      "id": "1853946714920960008",
      "created_at": "Tue Nov 05 19:46:40 +0000 2024",
      "favorited": false,
      "full_text": "Update: officers came round about the garage this afternoon and took fingerprints. Much better than I expected, credit where due. @ClevelandPCC",
      "lang": "en",
      "in_reply_to_status_id_str": "1853816859269120006",
      "in_reply_to_status_id": "1853816859269120006",
      "in_reply_to_user_id": "1377001122",
      "in_reply_to_user_id_str": "1377001122",
      "in_reply_to_screen_name": "LizOnTheTees"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1853816859269120006"
          ],
          "editableUntil": "Tue Nov 05 12:10:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "162"
      ],
      "favorite_count": "3",
      "id_str": "1853816859269120006",
      "truncated": false,
      "retweet_count": "3",
      "id": "1853816859269120006",
      "created_at": "Tue Nov 05 11:10:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC My garage on Bishopton Lane was broken into overnight. Tools and two bikes gone. Crime ref given but nobody has been round. Ring me on 07700 900286.",
      "lang": "en",
      "in_reply_to_status_id_str": "1853756461291519029",
      "in_reply_to_status_id": "1853756461291519029",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1853516630988800005"
          ],
          "editableUntil": "Mon Nov 04 16:17:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "148"
      ],
      "favorite_count": "9",
      "id_str": "1853516630988800005",
      "truncated": false,
      "retweet_count": "0",
      "id": "1853516630988800005",
      "created_at": "Mon Nov 04 15:17:40 +0000 2024",
      "favorited": false,
      "full_text": "Has anyone else had the text saying it's from Cleveland Police asking you to pay a 'fine' through a link? It's a scam, don't click it. @ClevelandPCC",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1853344748410880004"
          ],
          "editableUntil": "Mon Nov 04 04:54:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "103"
      ],
      "favorite_count": "2",
      "id_str": "1853344748410880004",
      "truncated": false,
      "retweet_count": "2",
      "id": "1853344748410880004",
      "created_at": "Mon Nov 04 03:54:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC Lovely to see the new PCSO at the school gates in Norton this morning. Kids were made up.",
      "lang": "en",
      "in_reply_to_status_id_str": "1853239051950079027",
      "in_reply_to_status_id": "1853239051950079027",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1853044520130560003"
          ],
          "editableUntil": "Sun Nov 03 09:01:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "111"
      ],
      "favorite_count": "8",
      "id_str": "1853044520130560003",
      "truncated": false,
      "retweet_count": "4",
      "id": "1853044520130560003",
      "created_at": "Sun Nov 03 08:01:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC Honestly the pair of you running policing round here are a disgrace. Clueless, lazy and arrogant.",
      "lang": "en",
      "in_reply_to_status_id_str": "1852953923164159026",
      "in_reply_to_status_id": "1852953923164159026",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1852949644974080002"
          ],
          "editableUntil": "Sun Nov 03 02:44:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [],
        "urls": []
      },
      "display_text_range": [
        "0",
        "130"
      ],
      "favorite_count": "1",
      "id_str": "1852949644974080002",
      "truncated": false,
      "retweet_count": "1",
      "id": "1852949644974080002",
      "created_at": "Sun Nov 03 01:44:40 +0000 2024",
      "favorited": false,
      "full_text": "Off-road bikes tearing round the Tilery estate again tonight. Kids playing out and they're doing wheelies past them. @ClevelandPCC",
      "lang": "en"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1852829100677120001"
          ],
          "editableUntil": "Sat Nov 02 18:45:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "126"
      ],
      "favorite_count": "7",
      "id_str": "1852829100677120001",
      "truncated": false,
      "retweet_count": "3",
      "id": "1852829100677120001",
      "created_at": "Sat Nov 02 17:45:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC Still no answer to my email from three weeks ago about the speeding on Durham Road. Is anyone reading the inbox?",
      "lang": "en",
      "in_reply_to_status_id_str": "1852768702699519024",
      "in_reply_to_status_id": "1852768702699519024",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  },
  {
    "tweet": {
      "edit_info": {
        "initial": {
          "editTweetIds": [
            "1852700000000000000"
          ],
          "editableUntil": "Sat Nov 02 10:12:40 +0000 2024",
          "editsRemaining": "5",
          "isEditEligible": true
        }
      },
      "retweeted": false,
      "source": "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
      "entities": {
        "hashtags": [],
        "symbols": [],
        "user_mentions": [
          {
            "name": "Cleveland PCC",
            "screen_name": "ClevelandPCC",
            "indices": [
              "0",
              "13"
            ],
            "id_str": "1420017766",
            "id": "1420017766"
          }
        ],
        "urls": []
      },
      "display_text_range": [
        "0",
        "138"
      ],
      "favorite_count": "0",
      "id_str": "1852700000000000000",
      "truncated": false,
      "retweet_count": "0",
      "id": "1852700000000000000",
      "created_at": "Sat Nov 02 09:12:40 +0000 2024",
      "favorited": false,
      "full_text": "@ClevelandPCC Thank you for coming to the Stockton residents' meeting last night. First time in years anyone senior has actually listened.",
      "lang": "en",
      "in_reply_to_status_id_str": "1852654701516799023",
      "in_reply_to_status_id": "1852654701516799023",
      "in_reply_to_user_id": "1420017766",
      "in_reply_to_user_id_str": "1420017766",
      "in_reply_to_screen_name": "ClevelandPCC"
    }
  }
]